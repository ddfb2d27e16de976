package io.shardgate.backend;

import io.netty.util.concurrent.EventExecutor;
import io.shardgate.config.PoolConfig;
import io.shardgate.routing.PoolRouter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool's server health, shared by every worker: nutcracker's {@code auto_eject_hosts}. Each closed or
 * failed server connection counts one failure, any reply resets the count; at {@code server_failure_limit}
 * consecutive failures the server leaves the pool's distribution (its keys move to the others exactly as in
 * nutcracker) for {@code server_retry_timeout} ms, then comes back. The router swaps its snapshot atomically,
 * so every worker sees an ejection at once.
 */
public final class PoolHealth {
    private static final Logger log = LoggerFactory.getLogger(PoolHealth.class);

    private final PoolConfig pool;
    private final PoolRouter router;
    private final EventExecutor timer;
    private final AtomicIntegerArray failures;

    public PoolHealth(PoolConfig pool, PoolRouter router, EventExecutor timer) {
        this.pool = pool;
        this.router = router;
        this.timer = timer;
        this.failures = new AtomicIntegerArray(pool.servers().size());
    }

    /** A connection to the server failed or closed. Called on any worker thread. */
    public void failure(int server, String reason) {
        if (!pool.autoEjectHosts()) return;
        int count = failures.incrementAndGet(server);
        if (count < pool.serverFailureLimit()) return;
        // Only the thread that resets the count ejects, so one burst of failures ejects once.
        if (!failures.compareAndSet(server, count, 0)) return;
        if (router.eject(server)) {
            log.warn("pool '{}': server {} ejected after {} consecutive failures (last: {}); retry in {} ms",
                    pool.name(), pool.servers().get(server).address(), count, reason, pool.serverRetryTimeoutMs());
            timer.schedule(() -> readmit(server), pool.serverRetryTimeoutMs(), TimeUnit.MILLISECONDS);
        }
    }

    /** The server answered. Cheap on the hot path: a read, and a write only after failures. */
    public void success(int server) {
        if (failures.get(server) != 0) failures.set(server, 0);
    }

    private void readmit(int server) {
        if (router.restore(server)) {
            log.info("pool '{}': server {} is back in the distribution", pool.name(), pool.servers().get(server).address());
        }
    }

    public boolean isEjected(int server) {
        return router.isEjected(server);
    }
}
