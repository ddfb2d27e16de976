package io.shardgate.bench.chaos;

import io.netty.channel.EventLoopGroup;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Chaos under load: one pool of four real backends (memcached or redis-server) behind shardgate, servers 0 and 1
 * reached directly, 2 and 3 through a {@link FaultRelay}; a closed-loop load of gets, multi-key gets and sets with
 * versioned values, every reply verified; and one fault after another, each on one server: killed (SIGKILL) and
 * started again empty, frozen (SIGSTOP) and thawed, connections reset in the middle of a reply, replies delayed (below
 * and beyond the timeout), garbage instead of replies. Judged per fault: no mismatched reply (ever), no failure that
 * the fault does not explain, every request answered within {@code timeout} + 50 ms, requests on the healthy
 * servers kept being served through the fault, and throughput after recovery back to its level before the fault.
 */
public final class ChaosRun {
    /** The latency bound beyond the pool's timeout. */
    public static final long LATE_MARGIN_MILLIS = 50;

    public enum FaultKind {
        KILL_RESTART("kill -9, restarted empty", 0, true),
        FREEZE("SIGSTOP, then SIGCONT", 1, false),
        RESET("connections reset mid-reply", 2, false),
        SLOW("replies delayed by half the timeout", 3, false),
        SLOWER("replies delayed by twice the timeout", 3, false),
        GARBAGE("garbage instead of replies", 2, false);

        final String what;
        final int server;
        final boolean wipes;

        FaultKind(String what, int server, boolean wipes) {
            this.what = what;
            this.server = server;
            this.wipes = wipes;
        }
    }

    /**
     * @param launcher shardgate's launcher to run the proxy as its own process, or null to run it in this JVM
     * @param recoveryRatio the least share of the throughput before a fault that must be back after it
     * @param ratePerConnection requests per second per connection, 0 for closed loop (as fast as replies come)
     */
    public record Settings(boolean redis, int proxyThreads, int clientThreads, int connections, int depth,
            int timeoutMs, long baselineMs, long faultMs, long measureMs, int rounds, List<FaultKind> faults,
            int keys, int valueSize, Path out, Path launcher, double recoveryRatio, double ratePerConnection) {}

    /**
     * What one fault did. Rates are verified requests per second (the median of its 100 ms buckets);
     * {@code explained} counts the failures this fault explains, up to the end of its recovery window.
     */
    public record FaultResult(FaultKind kind, int round, double before, long fewestHealthyPerSlice, long explained,
            long unexplained, long mismatched, long late, double slowestMs, double after, double ratio,
            List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    public record Result(Settings settings, List<FaultResult> faults, long verified, long explained, long unexplained,
            long mismatched, long late, double slowestMs, List<String> lost, List<String> examples,
            List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    /**
     * A proxy run through the launcher samples buffers for leaks (Netty's "advanced" level: cheap enough not to
     * disturb the timings); a leak it reports in its log fails the run.
     */
    static final String PROXY_JAVA_OPTIONS = "-Dio.netty.leakDetection.level=advanced";

    /** Load before the run is judged, while the proxy's JIT compiles the request path. */
    static final long WARM_UP_MILLIS = 2_000;

    private final Settings s;
    private ProxyProcess proxyProcess;

    public ChaosRun(Settings settings) {
        this.s = settings;
    }

    public Result run() throws Exception {
        Path logs = s.out().resolve("logs");
        Files.createDirectories(logs);
        BackendProcess.Kind kind = s.redis() ? BackendProcess.Kind.REDIS : BackendProcess.Kind.MEMCACHED;
        List<AutoCloseable> started = new ArrayList<>();
        EventLoopGroup loops = null;
        try {
            List<BackendProcess> backends = new ArrayList<>();
            for (int i = 0; i < 4; i++) backends.add(add(started, BackendProcess.start(kind, logs)));
            FaultRelay[] relays = new FaultRelay[4];
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                if (i >= 2) relays[i] = add(started, FaultRelay.start(backends.get(i).port(), kind));
                ports.add(relays[i] != null ? relays[i].port() : backends.get(i).port());
            }
            PoolYaml pool = new PoolYaml(s.redis() ? "chaos_redis" : "chaos_memcache", s.redis(),
                    BackendProcess.freePort(), s.timeoutMs(), ports);
            startProxy(pool, logs, started);

            LoadGroup group = new LoadGroup(new LoadGroup.Spec(pool.name(), s.redis(), "chaos:", s.keys(),
                    s.valueSize(), s.connections(), s.depth(), 0.6, 0.2, 4, s.ratePerConnection()), pool.router());
            loops = LoadGroup.newEventLoops(s.clientThreads());
            group.connect(loops, "127.0.0.1", pool.listenPort());
            group.preload(60_000);
            group.warmUp(WARM_UP_MILLIS);

            FaultLog log = new FaultLog();
            long start = System.nanoTime();
            long perFault = s.faultMs() + graceMs(FaultKind.KILL_RESTART) + s.measureMs() + 1000;
            long total = s.baselineMs() + (long) s.rounds() * s.faults().size() * perFault + 60_000;
            LiveStats stats = new LiveStats(pool.name(), group.serverOfKey(), group.versions(), log, start,
                    TimeUnit.MILLISECONDS.toNanos(100), (int) (total / 100),
                    TimeUnit.MILLISECONDS.toNanos(s.timeoutMs() + LATE_MARGIN_MILLIS));
            group.start(stats, 7);

            Thread.sleep(s.baselineMs());
            List<FaultResult> results = new ArrayList<>();
            for (int round = 0; round < s.rounds(); round++) {
                for (FaultKind f : s.faults()) {
                    results.add(inject(f, round, pool.name(), backends, relays, log, stats));
                }
            }
            List<String> lost = group.stop(s.timeoutMs() + 5_000L);
            writeTimeline(stats, log, start);
            List<String> leaks = new ArrayList<>();
            if (proxyProcess != null) {
                if (!proxyProcess.isAlive()) leaks.add("the proxy process died; see " + proxyProcess.log());
                proxyProcess.close();
                for (String line : Files.readAllLines(proxyProcess.log())) {
                    if (line.contains("LEAK:")) leaks.add("the proxy reported a leaked buffer: " + line);
                }
            }
            return result(results, stats, lost, leaks);
        } finally {
            if (loops != null) loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("closing: " + e);
                }
            }
        }
    }

    private void startProxy(PoolYaml pool, Path logs, List<AutoCloseable> started) throws Exception {
        Path config = s.out().resolve(pool.name() + ".yml");
        Files.writeString(config, pool.yaml());
        if (s.launcher() != null) {
            proxyProcess = add(started, ProxyProcess.start(s.launcher(), config, s.proxyThreads(),
                    List.of(pool.listenPort()), logs, PROXY_JAVA_OPTIONS));
        } else {
            ShardGateServer server = ShardGateServer.start(ConfigLoader.parse(pool.yaml(), config),
                    ServerSettings.defaults().withWorkers(s.proxyThreads()));
            add(started, server::close);
        }
    }

    /** How long after a fault is lifted its effects may last: reconnect backoff (2 s at most), requests in flight. */
    private long graceMs(FaultKind f) {
        return (f == FaultKind.KILL_RESTART ? 2_000 : 0) + 2L * s.timeoutMs() + 200;
    }

    private FaultResult inject(FaultKind f, int round, String pool, List<BackendProcess> backends, FaultRelay[] relays,
            FaultLog log, LiveStats stats) throws InterruptedException {
        long start = System.nanoTime();
        BackendProcess backend = backends.get(f.server);
        FaultRelay relay = relays[f.server];
        FaultLog.Fault fault = log.start(pool, f.server, f.what, f.wipes);
        switch (f) {
            case KILL_RESTART -> backend.kill();
            case FREEZE -> backend.pause();
            case RESET -> relay.mode(FaultRelay.Mode.RESET);
            case SLOW -> relay.slow(s.timeoutMs() / 2);
            case SLOWER -> relay.slow(s.timeoutMs() * 2L);
            case GARBAGE -> relay.mode(FaultRelay.Mode.GARBAGE);
        }
        Thread.sleep(s.faultMs());
        if (f.wipes) log.wiped(fault);
        switch (f) {
            case KILL_RESTART -> backend.launch();
            case FREEZE -> backend.resume();
            default -> relay.mode(FaultRelay.Mode.PASS);
        }
        long lifted = System.nanoTime();
        long grace = TimeUnit.MILLISECONDS.toNanos(graceMs(f));
        log.lift(fault, grace);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(grace) + s.measureMs());
        long end = System.nanoTime();

        long measure = TimeUnit.MILLISECONDS.toNanos(s.measureMs());
        double before = rate(stats, start - measure, start);
        double after = rate(stats, end - measure, end);
        long fewest = stats.fewestHealthy(start, lifted, TimeUnit.MILLISECONDS.toNanos(500));
        // this fault's own: a miss of a key an earlier kill wiped may end in this window, and is that kill's
        long explained = stats.explainedBy(fault);
        long unexplained = stats.sum(stats.unexplainedCounts(), start, end);
        long mismatched = stats.sum(stats.mismatchedCounts(), start, end);
        long late = stats.sum(stats.lateCounts(), start, end);
        double slowest = stats.slowest(start, end) / 1e6;
        double ratio = before > 0 ? after / before : 0;
        List<String> problems = new ArrayList<>();
        if (mismatched > 0) problems.add(mismatched + " mismatched replies");
        if (unexplained > 0) problems.add(unexplained + " failures the fault does not explain");
        if (late > 0) problems.add(late + " requests answered later than timeout + " + LATE_MARGIN_MILLIS + " ms");
        if (fewest == 0) problems.add("requests on the healthy servers stopped being served for 500 ms");
        if (ratio < s.recoveryRatio()) {
            problems.add(String.format(Locale.ROOT, "throughput after recovery %.0f/s is %.2f of the %.0f/s before",
                    after, ratio, before));
        }
        FaultResult r = new FaultResult(f, round, before, fewest, explained, unexplained, mismatched, late, slowest,
                after, ratio, problems);
        System.err.println(describe(r));
        // the next fault's "before" is measured after this one's recovery window
        return r;
    }

    /** timeline.csv: per 100 ms, verified requests (all, and those on healthy servers) and failures, faults marked. */
    private void writeTimeline(LiveStats stats, FaultLog log, long start) throws java.io.IOException {
        StringBuilder b = new StringBuilder("seconds,verified,verified_healthy,explained,unexplained,mismatched,late,fault\n");
        long last = System.nanoTime();
        for (long t = start; t < last; t += TimeUnit.MILLISECONDS.toNanos(100)) {
            long to = t + TimeUnit.MILLISECONDS.toNanos(100);
            String fault = "";
            for (FaultLog.Fault f : log.all()) {
                if (f.startedAt - to < 0 && t - f.liftedAt() < 0) fault = f.what.replace(',', ';');
            }
            b.append(String.format(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,%d,%s%n", (t - start) / 1e9,
                    stats.sum(stats.okCounts(), t, to), stats.sum(stats.okHealthyCounts(), t, to),
                    stats.sum(stats.explainedCounts(), t, to), stats.sum(stats.unexplainedCounts(), t, to),
                    stats.sum(stats.mismatchedCounts(), t, to), stats.sum(stats.lateCounts(), t, to), fault));
        }
        Files.writeString(s.out().resolve("timeline.csv"), b);
    }

    private static double rate(LiveStats stats, long from, long to) {
        return stats.medianRate(from, to);
    }

    private Result result(List<FaultResult> faults, LiveStats stats, List<String> lost, List<String> leaks) {
        long verified = stats.total(stats.okCounts());
        long explained = stats.total(stats.explainedCounts());
        long unexplained = stats.total(stats.unexplainedCounts());
        long mismatched = stats.total(stats.mismatchedCounts());
        long late = stats.total(stats.lateCounts());
        List<String> problems = new ArrayList<>();
        if (mismatched > 0) problems.add(mismatched + " mismatched replies");
        if (unexplained > 0) problems.add(unexplained + " failures no fault explains");
        if (late > 0) problems.add(late + " requests answered later than timeout + " + LATE_MARGIN_MILLIS + " ms");
        if (!lost.isEmpty()) problems.add(lost.size() + " client connections lost: " + lost);
        problems.addAll(leaks);
        for (FaultResult f : faults) {
            if (!f.passed()) problems.add(f.kind() + " (round " + (f.round() + 1) + "): " + String.join(", ", f.problems()));
        }
        if (verified == 0) problems.add("no request verified");
        return new Result(s, faults, verified, explained, unexplained, mismatched, late,
                stats.maxLatencyNanos() / 1e6, lost, stats.examples(), problems);
    }

    static String describe(FaultResult r) {
        return String.format(Locale.ROOT,
                "%-12s round %d: before %7.0f/s, healthy >= %5d per 500 ms, failures %5d explained %d other, "
                        + "%d mismatched, slowest %6.1f ms (%d late), after %7.0f/s (%.2f)%s",
                r.kind(), r.round() + 1, r.before(), r.fewestHealthyPerSlice(), r.explained(), r.unexplained(),
                r.mismatched(), r.slowestMs(), r.late(), r.after(), r.ratio(),
                r.passed() ? "" : "  FAILED: " + String.join(", ", r.problems()));
    }

    /** The run as text: one line per fault, the totals, the verdict. */
    public static String report(Result r) {
        StringBuilder b = new StringBuilder();
        Settings s = r.settings();
        b.append(String.format(Locale.ROOT, "chaos: %s pool of 4 servers, timeout %d ms, proxy --threads %d, %d client "
                        + "threads, %d connections x depth %d, %d keys of %d B%n",
                s.redis() ? "redis" : "memcached", s.timeoutMs(), s.proxyThreads(), s.clientThreads(), s.connections(),
                s.depth(), s.keys(), s.valueSize()));
        for (FaultResult f : r.faults()) b.append(describe(f)).append('\n');
        b.append(String.format(Locale.ROOT, "total: %,d verified, %d failures explained by faults, %d unexplained, "
                        + "%d mismatched, %d late, slowest %.1f ms, %d client connections lost%n",
                r.verified(), r.explained(), r.unexplained(), r.mismatched(), r.late(), r.slowestMs(), r.lost().size()));
        for (String e : r.examples()) b.append("  ").append(e).append('\n');
        b.append(r.passed() ? "RESULT ok" : "RESULT FAILED: " + String.join("; ", r.problems()));
        return b.toString();
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> started, T t) {
        started.add(t);
        return t;
    }
}
