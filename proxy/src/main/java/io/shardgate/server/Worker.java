package io.shardgate.server;

import io.shardgate.transport.FlushBatcher;
import io.shardgate.transport.Transport;
import io.netty.channel.EventLoop;
import io.shardgate.backend.PoolBackends;
import io.shardgate.stats.PoolSample;
import io.shardgate.stats.WorkerStats;
import java.util.Arrays;
import java.util.List;

/**
 * One worker: an event-loop thread with its own client connections and its own backend connections to every
 * pool. A request is parsed, routed, forwarded and answered on this one thread, so nothing on that path is
 * locked or handed over.
 */
final class Worker {
    private final EventLoop loop;
    private final FlushBatcher flusher;
    private final PoolBackends[] backends;
    private final WorkerStats stats;
    private int clientsAccepted;

    Worker(EventLoop loop, List<PoolRuntime> pools, Transport transport) {
        this.loop = loop;
        this.flusher = new FlushBatcher(loop);
        this.backends = new PoolBackends[pools.size()];
        this.stats = new WorkerStats(pools.stream().map(PoolRuntime::config).toList(),
                pools.stream().map(p -> p.protocol().commandNames()).toList());
        for (int i = 0; i < backends.length; i++) {
            PoolRuntime pool = pools.get(i);
            backends[i] = new PoolBackends(pool.config(), pool.router(), pool.health(), pool.protocol(), loop,
                    transport, flusher, stats.pool(i));
        }
        long tick = timeoutTickMillis(pools);
        if (tick > 0) loop.scheduleAtFixedRate(this::checkTimeouts, tick, tick, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The longest wait between two looks for timed-out requests. */
    static final long MAX_TIMEOUT_TICK_MILLIS = 20;

    static long timeoutTickMillis(List<PoolRuntime> pools) {
        return timeoutTickMillis(pools.stream().filter(p -> p.config().hasTimeout())
                .mapToLong(p -> p.config().timeoutMs()).min().orElse(0));
    }

    /**
     * How often to look for timed-out requests: a tenth of the shortest pool timeout, between 1 and 20 ms, so a
     * request is answered within its timeout plus that (well within the 50 ms the chaos run allows). Replies come
     * in order, so only each connection's oldest request needs looking at. 0 when no pool has a timeout.
     */
    static long timeoutTickMillis(long shortestTimeoutMs) {
        return shortestTimeoutMs <= 0 ? 0 : Math.max(1, Math.min(MAX_TIMEOUT_TICK_MILLIS, shortestTimeoutMs / 10));
    }

    private void checkTimeouts() {
        long now = System.nanoTime();
        for (PoolBackends b : backends) b.checkTimeouts(now);
    }

    EventLoop loop() {
        return loop;
    }

    FlushBatcher flusher() {
        return flusher;
    }

    PoolBackends backends(int poolIndex) {
        return backends[poolIndex];
    }

    /** This worker's counters, copied on its own thread (see {@link io.shardgate.stats.StatsAggregator}). */
    List<PoolSample> statsSample() {
        return stats.snapshot(Arrays.asList(backends));
    }

    /** Spreads a worker's clients over a server's connections when {@code server_connections} is above 1. */
    int nextClientPick() {
        return clientsAccepted++;
    }

    void preconnect(int poolIndex) {
        loop.execute(() -> backends[poolIndex].connectAll());
    }

    /** Closes every backend connection of this worker for good; the future completes once they are closing. */
    io.netty.util.concurrent.Future<?> shutdownBackends(String reason) {
        return loop.submit(() -> {
            for (PoolBackends b : backends) b.shutdown(reason);
        });
    }
}
