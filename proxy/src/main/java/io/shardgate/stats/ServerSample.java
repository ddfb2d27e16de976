package io.shardgate.stats;

/**
 * One server's stats at one moment, from one worker or merged over all. Arrays are owned by the sample.
 *
 * @param values indexed by {@link Stat#index} of the {@link Stat.Scope#SERVER} stats
 * @param latency request latency counts per {@link Latency} bucket (not cumulative)
 */
public record ServerSample(String name, long[] values, long[] latency, long latencySumNanos, long connectionsOpened) {
    public long get(Stat stat) {
        return values[stat.index];
    }

    static ServerSample empty(String name) {
        return new ServerSample(name, new long[Stat.SERVER_COUNT], new long[Latency.BUCKETS], 0, 0);
    }

    ServerSample plus(ServerSample o) {
        long[] v = values.clone();
        for (Stat s : Stat.of(Stat.Scope.SERVER)) {
            v[s.index] = s.kind == Stat.Kind.TIMESTAMP ? Math.max(v[s.index], o.values[s.index]) : v[s.index] + o.values[s.index];
        }
        long[] l = latency.clone();
        for (int i = 0; i < l.length; i++) l[i] += o.latency[i];
        return new ServerSample(name, v, l, latencySumNanos + o.latencySumNanos, connectionsOpened + o.connectionsOpened);
    }
}
