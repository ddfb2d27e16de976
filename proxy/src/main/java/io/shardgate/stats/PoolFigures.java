package io.shardgate.stats;

import io.shardgate.protocol.FiguresSource;
import io.shardgate.protocol.ProxyFigures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One pool's figures for its clients (memcached's {@code stats}): a collection by the aggregator, on the
 * aggregator's thread, so the worker that asked is never blocked while every worker copies its counters. The
 * aggregator starts after the listeners, so a client that asks in between is told the figures are unavailable.
 */
public final class PoolFigures implements FiguresSource {
    private final int poolIndex;
    private volatile StatsAggregator aggregator;

    public PoolFigures(int poolIndex) {
        this.poolIndex = poolIndex;
    }

    public void attach(StatsAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public void collect(Executor replyOn, Consumer<ProxyFigures> then) {
        StatsAggregator a = aggregator;
        if (a == null) {
            replyOn.execute(() -> then.accept(null));
            return;
        }
        a.collectLater(snapshot -> {
            ProxyFigures figures = snapshot == null ? null : figures(snapshot, poolIndex);
            replyOn.execute(() -> then.accept(figures));
        });
    }

    static ProxyFigures figures(StatsSnapshot s, int poolIndex) {
        PoolSample pool = s.pools().get(poolIndex);
        Map<String, Long> poolStats = new LinkedHashMap<>();
        for (Stat stat : Stat.of(Stat.Scope.POOL)) poolStats.put(stat.jsonName, pool.get(stat));
        Map<String, Long> commands = new LinkedHashMap<>();
        List<String> names = s.views().get(poolIndex).commandNames();
        for (int c = 0; c < names.size(); c++) commands.put(names.get(c), pool.commands()[c]);
        Map<String, Map<String, Long>> servers = new LinkedHashMap<>();
        for (ServerSample server : pool.servers()) {
            Map<String, Long> values = new LinkedHashMap<>();
            for (Stat stat : Stat.of(Stat.Scope.SERVER)) values.put(stat.jsonName, server.get(stat));
            servers.put(server.name(), values);
        }
        int ejected = 0;
        for (boolean e : s.ejected().get(poolIndex)) ejected += e ? 1 : 0;
        return new ProxyFigures(ProcessHandle.current().pid(), s.uptimeSeconds(), s.timestampSeconds(), s.version(),
                s.workers(), s.currConnections(), s.totalConnections(), pool.clientsAccepted(), poolStats, commands, servers, ejected);
    }
}
