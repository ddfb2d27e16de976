package io.shardgate.stats;

import io.netty.util.concurrent.EventExecutor;
import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.config.ServerSettings;
import io.shardgate.protocol.ShardGateVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A running proxy's stats: the aggregator, the stats port, and the admin HTTP listener when configured. */
public final class ServerStats implements AutoCloseable {
    private final StatsAggregator aggregator;
    private final StatsListener listener;
    private final AdminServer admin;
    private final ConfigStatus config;

    private ServerStats(StatsAggregator aggregator, StatsListener listener, AdminServer admin, ConfigStatus config) {
        this.aggregator = aggregator;
        this.listener = listener;
        this.admin = admin;
        this.config = config;
    }

    public static PoolView pool(PoolConfig config, ProxyProtocol<?> protocol, java.util.function.IntFunction<ServerHealth> health) {
        return new PoolView(config, protocol.commandNames(), health);
    }

    public static StatsAggregator.WorkerSource worker(EventExecutor loop, Supplier<List<PoolSample>> sample) {
        return new StatsAggregator.WorkerSource(loop, sample);
    }

    /**
     * Starts the aggregator and the listeners. Throws, leaving nothing running, if a listener cannot bind.
     *
     * @param listeners the proxy's listening sockets, which nutcracker counts among its connections
     * @param serving false once the proxy is shutting down
     * @param info what the status page says about the process
     */
    public static ServerStats start(ServerSettings settings, List<PoolView> pools,
            List<StatsAggregator.WorkerSource> workers, int listeners, BooleanSupplier serving, ProcessInfo info) {
        String version = ShardGateVersion.get().substring("shardgate-".length());
        StatsAggregator aggregator = new StatsAggregator(pools, workers, listeners, settings.statsIntervalMs(), version);
        StatsListener listener = null;
        try {
            listener = StatsListener.start(settings.statsAddress(), settings.statsPort(), aggregator);
            AdminServer admin = settings.adminEnabled()
                    ? AdminServer.start(settings.adminAddress(), settings.adminPort(), aggregator, serving, info)
                    : null;
            return new ServerStats(aggregator, listener, admin, info.config());
        } catch (RuntimeException e) {
            if (listener != null) listener.close();
            aggregator.close();
            throw e;
        }
    }

    /** The running config and its reloads, as the status page shows them: where a live reload reports. */
    public ConfigStatus config() {
        return config;
    }

    public StatsAggregator aggregator() {
        return aggregator;
    }

    public InetSocketAddress statsAddress() {
        return listener.address();
    }

    /** The admin listener's address, or null when there is none. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    @Override
    public void close() {
        if (admin != null) admin.close();
        listener.close();
        aggregator.close();
    }
}
