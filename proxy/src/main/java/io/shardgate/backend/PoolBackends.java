package io.shardgate.backend;

import io.netty.channel.EventLoop;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.routing.PoolRouter;
import io.shardgate.transport.FlushBatcher;
import io.shardgate.transport.Transport;
import io.shardgate.stats.HeldQueue;
import io.shardgate.stats.HeldSource;
import io.shardgate.stats.PoolCounters;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One worker's connections to every server of one pool: {@code server_connections} links per server, opened
 * on first use (or at start with {@code preconnect}). Owned by the worker's thread; nothing here is shared
 * except the router and the pool's health, which are built for that.
 */
public final class PoolBackends implements HeldSource {
    private static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 5_000;

    private final PoolConfig pool;
    private final PoolRouter router;
    private final PoolHealth health;
    private final ServerLink[][] links;
    private final long timeoutNanos;
    private final PoolCounters counters;

    public PoolBackends(PoolConfig pool, PoolRouter router, PoolHealth health, ProxyProtocol<?> protocol, EventLoop loop,
            Transport transport, FlushBatcher flusher, PoolCounters counters) {
        this.pool = pool;
        this.router = router;
        this.health = health;
        this.counters = counters;
        this.timeoutNanos = pool.hasTimeout() ? TimeUnit.MILLISECONDS.toNanos(pool.timeoutMs()) : 0;
        List<ServerConfig> servers = pool.servers();
        int perServer = Math.max(1, pool.serverConnections());
        // A connect counts against the request timeout when there is one, as in nutcracker.
        int connectTimeout = pool.hasTimeout()
                ? (int) Math.min(pool.timeoutMs(), Integer.MAX_VALUE) : DEFAULT_CONNECT_TIMEOUT_MILLIS;
        links = new ServerLink[servers.size()][perServer];
        for (int s = 0; s < servers.size(); s++) {
            for (int c = 0; c < perServer; c++) {
                links[s][c] = new ServerLink(new ServerLink.Settings(s, servers.get(s), protocol, loop, transport,
                        flusher, health, connectTimeout, pool.tcpKeepalive(), counters.server(s),
                        ServerLink.DEFAULT_MAX_IN_FLIGHT));
            }
        }
    }

    public PoolRouter router() {
        return router;
    }

    public PoolHealth health() {
        return health;
    }

    public PoolConfig pool() {
        return pool;
    }

    /** This worker's stats for the pool. */
    public PoolCounters counters() {
        return counters;
    }

    @Override
    public void countHeld(int server, HeldQueue into) {
        for (ServerLink link : links[server]) link.countHeld(into);
    }

    public int serverCount() {
        return links.length;
    }

    /**
     * The link a client uses for a server. A client always gets the same one of the server's connections, so its
     * requests to one server are never reordered across connections.
     */
    public ServerLink link(int server, int clientPick) {
        ServerLink[] forServer = links[server];
        return forServer.length == 1 ? forServer[0] : forServer[Math.floorMod(clientPick, forServer.length)];
    }

    public void connectAll() {
        for (ServerLink[] forServer : links) {
            for (ServerLink link : forServer) link.connect();
        }
    }

    /** Times out the oldest request of each connection if the pool has a timeout and it has passed. */
    public void checkTimeouts(long nowNanos) {
        if (timeoutNanos == 0) return;
        for (ServerLink[] forServer : links) {
            for (ServerLink link : forServer) link.checkTimeout(nowNanos, timeoutNanos);
        }
    }

    public void shutdown(String reason) {
        for (ServerLink[] forServer : links) {
            for (ServerLink link : forServer) link.shutdown(reason);
        }
    }
}
