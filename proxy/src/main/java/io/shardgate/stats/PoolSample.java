package io.shardgate.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * One pool's stats at one moment, from one worker or merged over all.
 *
 * @param values indexed by {@link Stat#index} of the {@link Stat.Scope#POOL} stats
 * @param commands requests per command, indexed like the protocol's command names
 */
public record PoolSample(String name, long[] values, long[] commands, long clientsAccepted, List<ServerSample> servers) {
    public long get(Stat stat) {
        return values[stat.index];
    }

    public ServerSample server(String serverName) {
        for (ServerSample s : servers) {
            if (s.name().equals(serverName)) return s;
        }
        throw new IllegalArgumentException("no server " + serverName + " in pool " + name);
    }

    PoolSample plus(PoolSample o) {
        long[] v = values.clone();
        for (int i = 0; i < v.length; i++) v[i] += o.values[i]; // pool stats are counters and gauges
        long[] c = commands.clone();
        for (int i = 0; i < c.length; i++) c[i] += o.commands[i];
        List<ServerSample> s = new ArrayList<>(servers.size());
        for (int i = 0; i < servers.size(); i++) s.add(servers.get(i).plus(o.servers.get(i)));
        return new PoolSample(name, v, c, clientsAccepted + o.clientsAccepted, List.copyOf(s));
    }
}
