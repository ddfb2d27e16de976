package io.shardgate.stats;

import io.shardgate.config.PoolConfig;
import java.util.List;

/**
 * One worker's counters for one pool, and its {@link ServerCounters} for each of the pool's servers. Written only
 * on the worker's thread, with plain field updates (no locks, no volatile, no shared cache lines with other
 * workers); {@link WorkerStats#snapshot} reads them on that same thread, so the stats are exact as of a moment
 * between two events and the hot path pays one add per counter.
 */
public final class PoolCounters {
    final long[] values = new long[Stat.POOL_COUNT];
    final long[] commands;
    final ServerCounters[] servers;
    long clientsAccepted;

    public PoolCounters(PoolConfig pool, List<String> commandNames) {
        this.commands = new long[commandNames.size()];
        this.servers = new ServerCounters[pool.servers().size()];
        for (int s = 0; s < servers.length; s++) servers[s] = new ServerCounters(this);
    }

    /** Counters that nothing reads: for code paths and tests that run without a stats aggregator. */
    public static PoolCounters detached(PoolConfig pool) {
        return new PoolCounters(pool, List.of());
    }

    public ServerCounters server(int index) {
        return servers[index];
    }

    // ---- client connections ----

    public void clientConnected() {
        values[Stat.CLIENT_CONNECTIONS.index]++;
        clientsAccepted++;
    }

    /** A client connection closed: by the client (or {@code quit}), or because of an error on it. */
    public void clientClosed(boolean error) {
        values[Stat.CLIENT_CONNECTIONS.index]--;
        values[(error ? Stat.CLIENT_ERR : Stat.CLIENT_EOF).index]++;
    }

    // ---- forwarding ----

    /** A client's request was answered with an error made by the proxy (no server, connection failed, timeout). */
    public void forwardError() {
        values[Stat.FORWARD_ERROR.index]++;
    }

    /** A multi-key request was split into {@code n} per-server fragments. */
    public void fragments(int n) {
        values[Stat.FRAGMENTS.index] += n;
    }

    /** One request of the protocol's command {@code id} (an index into the protocol's command names). */
    public void command(int id) {
        if (id >= 0 && id < commands.length) commands[id]++;
    }
}
