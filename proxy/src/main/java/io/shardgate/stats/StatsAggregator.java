package io.shardgate.stats;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.shardgate.config.PoolConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the workers' counters. A collection schedules one small task on each worker's event loop that copies
 * that worker's counters on its own thread (so the hot path writes plain fields and nobody reads them racily),
 * waits for the copies and adds them up.
 *
 * <p>A report (stats port, {@code /metrics}) collects afresh, as nutcracker's reports are current. The stats
 * interval ({@code -i}) is the period of a background collection that keeps each worker's last copy: a worker
 * that cannot answer within {@link #WORKER_DEADLINE_MS} (a long event-loop pass) is reported from that copy,
 * which is at most one interval old. Collections are serialized; they never run on a worker's thread.
 */
public final class StatsAggregator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsAggregator.class);

    static final long WORKER_DEADLINE_MS = 500;

    /** One worker as the aggregator sees it: its event loop and how to sample it there. */
    public record WorkerSource(EventExecutor loop, Supplier<List<PoolSample>> sample) {}

    private final List<PoolView> pools;
    private final List<WorkerSource> workers;
    private final List<List<PoolSample>> last;
    private final int listeners;
    private final long startMillis = System.currentTimeMillis();
    private final String source = hostname();
    private final String version;
    private final ScheduledExecutorService timer;
    private volatile StatsSnapshot latest;
    private boolean warnedSlow;

    public StatsAggregator(List<PoolView> pools, List<WorkerSource> workers, int listeners, long intervalMs,
            String version) {
        this.pools = List.copyOf(pools);
        this.workers = List.copyOf(workers);
        this.listeners = listeners;
        this.version = version;
        List<PoolConfig> configs = this.pools.stream().map(PoolView::config).toList();
        List<List<String>> names = this.pools.stream().map(PoolView::commandNames).toList();
        this.last = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) last.add(WorkerStats.zero(configs, names));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardgate-stats-aggregator");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::collectQuietly, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** When the proxy started, in epoch millis. */
    public long startMillis() {
        return startMillis;
    }

    /** The pools, in config order. */
    public List<PoolView> pools() {
        return pools;
    }

    /** Collects every worker's counters now and merges them. */
    public synchronized StatsSnapshot collect() {
        List<Future<List<PoolSample>>> futures = new ArrayList<>(workers.size());
        for (WorkerSource w : workers) {
            try {
                futures.add(w.loop().submit(w.sample()::get));
            } catch (RejectedExecutionException shuttingDown) {
                futures.add(null);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WORKER_DEADLINE_MS);
        int answered = 0;
        for (int i = 0; i < futures.size(); i++) {
            Future<List<PoolSample>> f = futures.get(i);
            if (f == null) continue;
            try {
                last.set(i, f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                answered++;
            } catch (TimeoutException e) {
                if (!warnedSlow) {
                    warnedSlow = true;
                    log.warn("stats: worker {} did not answer within {} ms; reporting its last sample", i,
                            WORKER_DEADLINE_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                log.warn("stats: sampling worker {} failed", i, e.getCause());
            }
        }
        StatsSnapshot snapshot = merge(answered);
        latest = snapshot;
        return snapshot;
    }

    /**
     * Collects on the aggregator's own thread and hands the result (null if the collection failed or the
     * aggregator is closed) to {@code then} there: for callers that must not block, such as a worker answering
     * a client.
     */
    public void collectLater(java.util.function.Consumer<StatsSnapshot> then) {
        try {
            timer.execute(() -> {
                StatsSnapshot snapshot;
                try {
                    snapshot = collect();
                } catch (RuntimeException e) {
                    log.warn("stats aggregation failed", e);
                    snapshot = null;
                }
                then.accept(snapshot);
            });
        } catch (RejectedExecutionException closed) {
            then.accept(null);
        }
    }

    /** The last collection's result, without collecting (null before the first). */
    public StatsSnapshot latest() {
        return latest;
    }

    private void collectQuietly() {
        try {
            collect();
        } catch (RuntimeException e) {
            log.warn("stats aggregation failed", e);
        }
    }

    private StatsSnapshot merge(int answered) {
        List<PoolSample> sum = new ArrayList<>(last.get(0));
        for (int w = 1; w < last.size(); w++) {
            List<PoolSample> one = last.get(w);
            for (int p = 0; p < sum.size(); p++) sum.set(p, sum.get(p).plus(one.get(p)));
        }
        long total = listeners;
        long current = listeners;
        List<boolean[]> ejected = new ArrayList<>();
        for (int p = 0; p < sum.size(); p++) {
            PoolSample pool = sum.get(p);
            total += pool.clientsAccepted();
            current += pool.get(Stat.CLIENT_CONNECTIONS);
            boolean[] e = new boolean[pool.servers().size()];
            for (int s = 0; s < e.length; s++) {
                ServerSample server = pool.servers().get(s);
                total += server.connectionsOpened();
                current += server.get(Stat.SERVER_CONNECTIONS);
                e[s] = pools.get(p).isEjected(s);
            }
            ejected.add(e);
        }
        long now = System.currentTimeMillis();
        return new StatsSnapshot(source, version, (now - startMillis) / 1000, now / 1000, total, current, pools,
                List.copyOf(sum), List.copyOf(ejected), answered, workers.size());
    }

    /** The host name as gethostname(2) gives it, which is nutcracker's {@code source}. */
    static String hostname() {
        try {
            String name = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) return name;
        } catch (java.io.IOException | RuntimeException notLinux) {
            // fall through
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
