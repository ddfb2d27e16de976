package io.shardgate.bench.soak;

import io.netty.channel.EventLoopGroup;
import io.shardgate.bench.chaos.BackendProcess;
import io.shardgate.bench.chaos.FaultLog;
import io.shardgate.bench.chaos.LiveStats;
import io.shardgate.bench.chaos.LoadGroup;
import io.shardgate.bench.chaos.Metrics;
import io.shardgate.bench.chaos.PoolYaml;
import io.shardgate.bench.chaos.ProxyProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * A long run of shardgate, as its own process, under a steady mixed load (memcached gets, 10-key multigets, sets and
 * 100 KiB values; redis GET, MGET, SET and 16 KiB values), every reply verified with versioned values, with a fault
 * now and then (a memcached or a redis killed and started again empty, one frozen for a few seconds). Every few
 * seconds it samples the proxy's RSS, heap, direct memory, open files and GC time from its {@code /metrics}, and the
 * latency and throughput the clients saw. Writes {@code samples.csv}, {@code soak.png} and {@code summary.md} to
 * the output folder, and judges: no mismatched reply, no failure outside a fault, no client connection lost, and
 * memory flat within the stated band after the warm-up.
 */
public final class SoakRun {
    /** How long a fault's effects may outlast it: the proxy's reconnect backoff (2 s at most) plus a timeout. */
    static final long FAULT_GRACE_MILLIS = 4_000;
    /**
     * The pools' timeout. Long enough that a few hundred milliseconds without CPU on a shared machine are not
     * failures (the soak judges memory and verification, the chaos run judges timeouts), short enough that a 5 s
     * SIGSTOP still times requests out.
     */
    static final int TIMEOUT_MS = 2_000;

    public record Settings(double durationSeconds, double sampleSeconds, double faultEverySeconds,
            double warmupSeconds, Path out, Path launcher, int proxyThreads, int clientThreads, double load,
            double rssBandMb, double growthBandMb) {}

    private final Settings s;

    public SoakRun(Settings settings) {
        this.s = settings;
    }

    /** Runs the soak; returns whether every verdict passed. */
    public boolean run() throws Exception {
        Files.createDirectories(s.out());
        Path logs = s.out().resolve("logs");
        List<AutoCloseable> started = new ArrayList<>();
        EventLoopGroup loops = null;
        try {
            List<BackendProcess> mc = new ArrayList<>();
            List<BackendProcess> rd = new ArrayList<>();
            for (int i = 0; i < 3; i++) mc.add(add(started, BackendProcess.start(BackendProcess.Kind.MEMCACHED, logs)));
            for (int i = 0; i < 2; i++) rd.add(add(started, BackendProcess.start(BackendProcess.Kind.REDIS, logs)));
            PoolYaml mcPool = new PoolYaml("mc", false, BackendProcess.freePort(), TIMEOUT_MS, mc.stream().map(BackendProcess::port).toList());
            PoolYaml rdPool = new PoolYaml("rd", true, BackendProcess.freePort(), TIMEOUT_MS, rd.stream().map(BackendProcess::port).toList());
            Path config = s.out().resolve("shardgate.yml");
            Files.writeString(config, PoolYaml.yaml(List.of(mcPool, rdPool)));
            ProxyProcess proxy = add(started, ProxyProcess.start(s.launcher(), config, s.proxyThreads(),
                    List.of(mcPool.listenPort(), rdPool.listenPort()), logs, "-Xlog:gc:file=" + logs.resolve("gc.log")));

            double x = s.load();
            List<LoadGroup> groups = List.of(
                    new LoadGroup(new LoadGroup.Spec("mc-small", false, "soak:", 20_000, 100, 8, 4, 0.7, 0.2, 10, 400 * x), mcPool.router()),
                    new LoadGroup(new LoadGroup.Spec("mc-large", false, "soakl:", 300, 100 * 1024, 2, 2, 0.6, 0.1, 3, 15 * x), mcPool.router()),
                    new LoadGroup(new LoadGroup.Spec("rd-small", true, "soak:", 20_000, 100, 4, 4, 0.7, 0.2, 10, 400 * x), rdPool.router()),
                    new LoadGroup(new LoadGroup.Spec("rd-large", true, "soakl:", 200, 16 * 1024, 1, 2, 0.6, 0.1, 3, 20 * x), rdPool.router()));
            List<PoolYaml> poolOf = List.of(mcPool, mcPool, rdPool, rdPool);
            loops = LoadGroup.newEventLoops(s.clientThreads());
            for (int i = 0; i < groups.size(); i++) {
                groups.get(i).connect(loops, "127.0.0.1", poolOf.get(i).listenPort());
                groups.get(i).preload(120_000);
            }

            FaultLog faults = new FaultLog();
            long start = System.nanoTime();
            long duration = (long) (s.durationSeconds() * 1e9);
            int buckets = (int) (s.durationSeconds() + 120);
            List<LiveStats> stats = new ArrayList<>();
            for (int i = 0; i < groups.size(); i++) {
                LoadGroup g = groups.get(i);
                LiveStats st = new LiveStats(poolOf.get(i).name(), g.serverOfKey(), g.versions(), faults, start,
                        TimeUnit.SECONDS.toNanos(1), buckets, TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS + 50));
                stats.add(st);
                g.start(st, 17 + i);
            }
            log("load started: " + groups.size() + " groups; samples every " + s.sampleSeconds() + " s for "
                    + s.durationSeconds() + " s; proxy pid " + proxy.pid());

            Sampler sampler = new Sampler(proxy, stats, faults, start, s.out().resolve("samples.csv"));
            Thread samplerThread = new Thread(() -> sampler.loop((long) (s.sampleSeconds() * 1000), start + duration),
                    "soak-sampler");
            samplerThread.setDaemon(true);
            samplerThread.start();

            injectFaults(faults, mc, rd, start, duration);
            samplerThread.join(TimeUnit.SECONDS.toMillis(30));

            List<String> lost = new ArrayList<>();
            for (LoadGroup g : groups) lost.addAll(g.stop(5_000));
            boolean proxyAlive = proxy.isAlive();
            String gc = gcSummary(logs.resolve("gc.log"));
            Summary summary = new Summary(s, sampler.samples(), stats, faults.all(), lost, proxyAlive, gc, start);
            Files.writeString(s.out().resolve("summary.md"), summary.markdown());
            SoakPlot.write(s.out().resolve("soak.png"), String.format(Locale.ROOT,
                    "shardgate soak: %.0f min, mixed memcached + redis load, faults shaded", s.durationSeconds() / 60),
                    sampler.samples(), faults.all(), start);
            System.out.println(summary.markdown());
            System.out.println(summary.tally());
            return summary.passed();
        } finally {
            if (loops != null) loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    log("closing " + started.get(i) + ": " + e);
                }
            }
        }
    }

    /**
     * A fault every {@code faultEverySeconds}, the first half an interval in, in turn: a memcached killed and
     * started again empty 5 s later, a redis frozen for 5 s, a redis killed and restarted, a memcached frozen.
     */
    private void injectFaults(FaultLog faults, List<BackendProcess> mc, List<BackendProcess> rd, long start, long duration)
            throws InterruptedException {
        long every = (long) (s.faultEverySeconds() * 1e9);
        long next = start + every / 2;
        int n = 0;
        while (true) {
            long end = start + duration;
            if (every <= 0 || next + TimeUnit.SECONDS.toNanos(10) > end) {
                sleepUntil(end);
                return;
            }
            sleepUntil(next);
            switch (n++ % 4) {
                case 0 -> killAndRestart(faults, "mc", 1, mc.get(1));
                case 1 -> freeze(faults, "rd", 0, rd.get(0));
                case 2 -> killAndRestart(faults, "rd", 1, rd.get(1));
                default -> freeze(faults, "mc", 2, mc.get(2));
            }
            next += every;
        }
    }

    private static void killAndRestart(FaultLog faults, String pool, int server, BackendProcess b) throws InterruptedException {
        FaultLog.Fault f = faults.start(pool, server, "kill -9 " + b + ", restarted empty 5 s later", true);
        log("fault: " + f.what);
        b.kill();
        Thread.sleep(5_000);
        faults.wiped(f);
        b.launch();
        faults.lift(f, TimeUnit.MILLISECONDS.toNanos(FAULT_GRACE_MILLIS));
    }

    private static void freeze(FaultLog faults, String pool, int server, BackendProcess b) throws InterruptedException {
        FaultLog.Fault f = faults.start(pool, server, "SIGSTOP " + b + " for 5 s", false);
        log("fault: " + f.what);
        b.pause();
        Thread.sleep(5_000);
        b.resume();
        faults.lift(f, TimeUnit.MILLISECONDS.toNanos(FAULT_GRACE_MILLIS));
    }

    private static final Pattern PAUSE = Pattern.compile("Pause .* ([0-9.]+)ms$");

    /** The GC log's pauses: count, total, the longest, the 99th percentile. */
    static String gcSummary(Path gcLog) {
        try {
            Histogram h = new Histogram(3);
            double total = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher m = PAUSE.matcher(line);
                if (!m.find()) continue;
                double ms = Double.parseDouble(m.group(1));
                total += ms;
                h.recordValue(Math.round(ms * 1000));
            }
            if (h.getTotalCount() == 0) return "no GC pause in the GC log";
            return String.format(Locale.ROOT, "%d pauses, %.0f ms in all; p50 %.2f ms, p99 %.2f ms, longest %.2f ms",
                    h.getTotalCount(), total, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0);
        } catch (IOException e) {
            return "GC log unreadable: " + e.getMessage();
        }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> started, T t) {
        started.add(t);
        return t;
    }

    static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(Math.min(left, 200_000_000L));
    }

    static void log(String what) {
        System.err.printf(Locale.ROOT, "[%tT] %s%n", System.currentTimeMillis(), what);
    }

    /** Samples the proxy and the clients every interval, into memory and a CSV file written as it goes. */
    static final class Sampler {
        private final ProxyProcess proxy;
        private final List<LiveStats> stats;
        private final FaultLog faults;
        private final long start;
        private final Path csv;
        private final List<Sample> samples = new ArrayList<>();

        Sampler(ProxyProcess proxy, List<LiveStats> stats, FaultLog faults, long start, Path csv) {
            this.proxy = proxy;
            this.stats = stats;
            this.faults = faults;
            this.start = start;
            this.csv = csv;
        }

        synchronized List<Sample> samples() {
            return List.copyOf(samples);
        }

        void loop(long everyMillis, long end) {
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
                out.println(Sample.CSV_HEADER);
                double gcSum = Double.NaN;
                double gcCount = Double.NaN;
                long from = start;
                for (long next = start + TimeUnit.MILLISECONDS.toNanos(everyMillis); next - end <= 0;
                        next += TimeUnit.MILLISECONDS.toNanos(everyMillis)) {
                    sleepUntil(next);
                    long now = System.nanoTime();
                    Metrics m;
                    try {
                        m = proxy.metrics();
                    } catch (IOException e) {
                        log("metrics unreadable: " + e);
                        continue;
                    }
                    double sum = m.sum("jvm_gc_collection_seconds_sum");
                    double count = m.sum("jvm_gc_collection_seconds_count");
                    Histogram h = new Histogram(60_000_000_000L, 3);
                    long ok = 0;
                    long explained = 0;
                    long unexplained = 0;
                    long mismatched = 0;
                    boolean active = false;
                    for (LiveStats st : stats) {
                        h.add(st.intervalLatency());
                        ok += st.sum(st.okCounts(), from, now);
                        explained += st.sum(st.explainedCounts(), from, now);
                        unexplained += st.sum(st.unexplainedCounts(), from, now);
                        mismatched += st.sum(st.mismatchedCounts(), from, now);
                        active |= faults.active(st.pool()) != null;
                    }
                    double seconds = (now - start) / 1e9;
                    Sample sample = new Sample(seconds, m.get("process_resident_memory_bytes") / 1e6,
                            m.get("jvm_memory_used_bytes{area=\"heap\"}") / 1e6,
                            m.get("jvm_memory_pool_collection_used_bytes{pool=\"Tenured Gen\"}") / 1e6,
                            m.get("jvm_memory_used_bytes{area=\"nonheap\"}") / 1e6,
                            m.get("jvm_buffer_pool_used_bytes{pool=\"direct\"}") / 1e6, m.get("process_open_fds"),
                            Double.isNaN(gcSum) ? 0 : (sum - gcSum) * 1000, Double.isNaN(gcCount) ? 0 : count - gcCount,
                            h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, ok / ((now - from) / 1e9),
                            explained, unexplained, mismatched, active);
                    gcSum = sum;
                    gcCount = count;
                    from = now;
                    synchronized (this) {
                        samples.add(sample);
                    }
                    out.println(sample.csv());
                    out.flush();
                }
            } catch (IOException e) {
                log("cannot write " + csv + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
