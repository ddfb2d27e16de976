package io.shardgate.backend;

import io.netty.util.concurrent.EventExecutor;
import io.shardgate.config.FailurePolicy;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.routing.PoolRouter;
import io.shardgate.stats.ServerHealth;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pool's server health, shared by every worker: nutcracker's {@code auto_eject_hosts}. Each closed or
 * failed server connection counts one failure, any reply resets the count; at {@code server_failure_limit}
 * consecutive failures the server is ejected for {@code server_retry_timeout} ms, then comes back.
 *
 * <p>By default (nutcracker's way) an ejected server leaves the distribution and its keys move to the others;
 * the router swaps its snapshot atomically, so every worker sees it at once. The pool's {@link FailurePolicy}
 * can instead keep keys in place and fail their requests fast, probe a server before re-admitting it, and keep
 * a flapping server out longer.
 */
public final class PoolHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolHealth.class);
    /** Probe backoff and flap damping stop growing at these multiples of server_retry_timeout. */
    static final int MAX_PROBE_BACKOFF = 32;
    static final int MAX_FLAP_MULTIPLIER = 16;

    private final PoolConfig pool;
    private final FailurePolicy policy;
    private final PoolRouter router;
    private final EventExecutor timer;
    private final ProxyProtocol.HealthProbe probe;
    private final AtomicIntegerArray failures;
    /** 1 while a server is ejected under a policy that keeps its keys in place. */
    private final AtomicIntegerArray down;
    /** Guarded by this: when each server last came back, and how much longer than usual its next ejection lasts. */
    private final long[] readmittedAtNanos;
    private final int[] flapMultiplier;
    /** Guarded by this: when each server's current ejection began and when it is tried next (epoch ms, 0 if in). */
    private final long[] ejectedAtMillis;
    private final long[] retryAtMillis;
    private ExecutorService prober;

    public PoolHealth(PoolConfig pool, PoolRouter router, EventExecutor timer, ProxyProtocol.HealthProbe probe) {
        this.pool = pool;
        this.policy = pool.failurePolicy();
        this.router = router;
        this.timer = timer;
        this.probe = probe;
        int n = pool.servers().size();
        this.failures = new AtomicIntegerArray(n);
        this.down = new AtomicIntegerArray(n);
        this.readmittedAtNanos = new long[n];
        this.flapMultiplier = new int[n];
        java.util.Arrays.fill(flapMultiplier, 1);
        this.ejectedAtMillis = new long[n];
        this.retryAtMillis = new long[n];
    }

    /**
     * A connection to the server failed or closed. Called on any worker thread; returns true when this failure
     * ejected the server, so the caller's worker counts the ejection (once, in its own stats).
     */
    public boolean failure(int server, String reason) {
        if (!pool.autoEjectHosts()) return false;
        int count = failures.incrementAndGet(server);
        if (count < pool.serverFailureLimit()) return false;
        // Only the thread that resets the count ejects, so one burst of failures ejects once.
        return failures.compareAndSet(server, count, 0) && eject(server, count, reason);
    }

    /** The server answered. Cheap on the hot path: a read, and a write only after failures. */
    public void success(int server) {
        if (failures.get(server) != 0) failures.set(server, 0);
    }

    /** True while the server is ejected and its keys stay with it (eject_policy fail or miss). */
    public boolean isDown(int server) {
        return down.get(server) != 0;
    }

    /** The server's health for the stats (status page, {@code /health}); never called on the request path. */
    public synchronized ServerHealth state(int server) {
        boolean out = router.isEjected(server) || isDown(server);
        if (!out) return ServerHealth.inService(failures.get(server));
        return new ServerHealth(failures.get(server), true, ejectedAtMillis[server], retryAtMillis[server]);
    }

    private synchronized boolean eject(int server, int count, String reason) {
        long now = System.nanoTime();
        long retryMs = pool.serverRetryTimeoutMs();
        if (policy.flapDamping()) {
            long sinceBack = now - readmittedAtNanos[server];
            boolean flapping = readmittedAtNanos[server] != 0
                    && sinceBack < TimeUnit.MILLISECONDS.toNanos(2 * retryMs * flapMultiplier[server]);
            flapMultiplier[server] = flapping ? Math.min(flapMultiplier[server] * 2, MAX_FLAP_MULTIPLIER) : 1;
        }
        long outMs = retryMs * flapMultiplier[server];
        boolean changed = policy.movesKeys() ? router.eject(server) : down.compareAndSet(server, 0, 1);
        if (!changed) return false;
        long nowMillis = System.currentTimeMillis();
        ejectedAtMillis[server] = nowMillis;
        retryAtMillis[server] = nowMillis + outMs;
        log.warn("pool '{}': server {} ejected after {} consecutive failures (last: {}); retry in {} ms{}",
                pool.name(), address(server), count, reason, outMs,
                flapMultiplier[server] > 1 ? " (flapping: " + flapMultiplier[server] + "x the retry timeout)" : "");
        timer.schedule(() -> retry(server, 0), outMs, TimeUnit.MILLISECONDS);
        return true;
    }

    private void retry(int server, int attempt) {
        if (!policy.readmitProbe() || probe == null) {
            readmit(server);
            return;
        }
        probeExecutor().execute(() -> {
            if (probe(server)) {
                readmit(server);
            } else {
                long delay = pool.serverRetryTimeoutMs() * Math.min(1L << Math.min(attempt + 1, 30), MAX_PROBE_BACKOFF);
                retryingAt(server, System.currentTimeMillis() + delay);
                log.info("pool '{}': server {} failed its health probe; next probe in {} ms", pool.name(),
                        address(server), delay);
                timer.schedule(() -> retry(server, attempt + 1), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    private synchronized void retryingAt(int server, long atMillis) {
        retryAtMillis[server] = atMillis;
    }

    private synchronized void readmit(int server) {
        boolean changed = policy.movesKeys() ? router.restore(server) : down.compareAndSet(server, 1, 0);
        if (!changed) return;
        ejectedAtMillis[server] = 0;
        retryAtMillis[server] = 0;
        readmittedAtNanos[server] = System.nanoTime();
        log.info("pool '{}': server {} is back", pool.name(), address(server));
    }

    /** One request the server must answer as a healthy server does, on a connection of its own. */
    private boolean probe(int server) {
        ServerConfig s = pool.servers().get(server);
        int timeout = (int) (pool.hasTimeout() ? Math.min(pool.timeoutMs(), 10_000) : 1_000);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(s.host(), s.port()), timeout);
            socket.setSoTimeout(timeout);
            socket.getOutputStream().write(probe.request());
            InputStream in = socket.getInputStream();
            byte[] expected = probe.expectedReplyPrefix().getBytes(StandardCharsets.US_ASCII);
            for (byte b : expected) {
                if (in.read() != (b & 0xff)) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized ExecutorService probeExecutor() {
        if (prober == null) {
            prober = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "shardgate-probe-" + pool.name());
                t.setDaemon(true);
                return t;
            });
        }
        return prober;
    }

    private String address(int server) {
        return pool.servers().get(server).address();
    }

    @Override
    public synchronized void close() {
        if (prober != null) prober.shutdownNow();
    }
}
