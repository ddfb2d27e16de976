package io.shardgate.stats;

import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/** One worker's counters for every pool. Only the worker's thread writes them or calls {@link #snapshot}. */
public final class WorkerStats {
    private final List<PoolConfig> pools;
    private final PoolCounters[] counters;
    private final HeldQueue held = new HeldQueue();

    public WorkerStats(List<PoolConfig> pools, List<List<String>> commandNames) {
        this.pools = List.copyOf(pools);
        this.counters = new PoolCounters[pools.size()];
        for (int p = 0; p < counters.length; p++) counters[p] = new PoolCounters(pools.get(p), commandNames.get(p));
    }

    public PoolCounters pool(int index) {
        return counters[index];
    }

    /**
     * Copies every counter, and reads the queue gauges from the links. Must run on the worker's thread; the
     * copy is handed to the aggregator through the event loop's task future, which publishes it safely.
     *
     * @param sources each pool's links, in pool order
     */
    public List<PoolSample> snapshot(List<? extends HeldSource> sources) {
        List<PoolSample> out = new ArrayList<>(counters.length);
        for (int p = 0; p < counters.length; p++) {
            PoolCounters pc = counters[p];
            List<ServerConfig> configs = pools.get(p).servers();
            List<ServerSample> servers = new ArrayList<>(configs.size());
            for (int s = 0; s < configs.size(); s++) {
                ServerCounters sc = pc.servers[s];
                long[] v = sc.values.clone();
                held.clear();
                sources.get(p).countHeld(s, held);
                v[Stat.IN_QUEUE.index] = held.count;
                v[Stat.IN_QUEUE_BYTES.index] = held.bytes;
                // awaiting a reply and already written: nutcracker's out queue
                v[Stat.OUT_QUEUE.index] = Math.max(0, sc.awaiting - held.awaitingReply);
                v[Stat.OUT_QUEUE_BYTES.index] = Math.max(0, sc.awaitingBytes - held.awaitingReplyBytes);
                servers.add(new ServerSample(configs.get(s).statsName(), v, sc.latency.clone(), sc.latencySumNanos,
                        sc.connectionsOpened));
            }
            out.add(new PoolSample(pools.get(p).name(), pc.values.clone(), pc.commands.clone(), pc.clientsAccepted,
                    List.copyOf(servers)));
        }
        return out;
    }

    /** A sample with every value zero, shaped like this worker's (for a worker that has not answered yet). */
    static List<PoolSample> zero(List<PoolConfig> pools, List<List<String>> commandNames) {
        List<PoolSample> out = new ArrayList<>();
        for (int p = 0; p < pools.size(); p++) {
            List<ServerSample> servers = new ArrayList<>();
            for (ServerConfig s : pools.get(p).servers()) servers.add(ServerSample.empty(s.statsName()));
            out.add(new PoolSample(pools.get(p).name(), new long[Stat.POOL_COUNT],
                    new long[commandNames.get(p).size()], 0, List.copyOf(servers)));
        }
        return out;
    }
}
