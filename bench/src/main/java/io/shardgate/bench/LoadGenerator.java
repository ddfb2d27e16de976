package io.shardgate.bench;

import io.netty.util.ResourceLeakDetector;
import io.shardgate.bench.load.ErrorKind;
import io.shardgate.bench.load.LoadRun;
import io.shardgate.bench.load.LoadRun.Result;
import io.shardgate.bench.load.LoadRun.Settings;
import io.shardgate.bench.load.Tally;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Closed-loop load generator for memcached-protocol servers and proxies. Every reply is verified: a get must return
 * exactly the value derived from its key, a set must be answered STORED. Exit code 0 when every reply verified,
 * 1 when any failed (or a connection was lost), 2 when the run could not start (bad options, nothing listening).
 */
@Command(name = "shardgate-bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load generator: drives a memcached-protocol server with pipelined, verified requests.")
public final class LoadGenerator implements Callable<Integer> {
    @Option(names = {"-t", "--target"}, required = true, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Server to load; with several (e.g. one nutcracker per core), connection i goes to the i-th modulo their count.")
    String target;

    @Option(names = "--protocol", defaultValue = "memcache", description = "memcache (redis: not built yet).")
    String protocol;

    @Option(names = {"-c", "--connections"}, defaultValue = "50", description = "Load connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-p", "--pipeline"}, defaultValue = "1", description = "Requests in flight per connection (default ${DEFAULT-VALUE}).")
    int pipeline;

    @Option(names = {"-d", "--duration"}, defaultValue = "10", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = {"-w", "--warmup"}, defaultValue = "2", description = "Warm-up seconds before measuring (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--get-ratio", defaultValue = "1.0", description = "Share of requests that are gets; the rest are sets (default ${DEFAULT-VALUE}).")
    double getRatio;

    @Option(names = {"-k", "--keys-per-get"}, defaultValue = "1", description = "Keys per get (multi-key get; default ${DEFAULT-VALUE}).")
    int keysPerGet;

    @Option(names = {"-s", "--value-size"}, defaultValue = "100", description = "Value bytes (default ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = {"-n", "--key-space"}, defaultValue = "100000", description = "Distinct keys, chosen uniformly (default ${DEFAULT-VALUE}).")
    int keySpace;

    @Option(names = "--key-prefix", defaultValue = "sgb:", description = "Key prefix; keys are prefix + index (default ${DEFAULT-VALUE}).")
    String keyPrefix;

    @Option(names = "--preload", description = "Set every key first (not measured), so every get hits.")
    boolean preload;

    @Option(names = "--preload-only", description = "Set every key, then exit without a measured run.")
    boolean preloadOnly;

    @Option(names = "--allow-misses", description = "A get may miss keys (not preloaded data); otherwise a miss is an error.")
    boolean allowMisses;

    @Option(names = "--idle-connections", defaultValue = "0", description = "Extra connections opened and held idle during the run.")
    int idleConnections;

    @Option(names = "--threads", description = "Event loop threads (default: half the cores, at least 1).")
    Integer threads;

    @Option(names = "--value-version", defaultValue = "1", description = "Version mixed into every value (0..65535; default ${DEFAULT-VALUE}).")
    int valueVersion;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed for key choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--watch-pid", paramLabel = "PID", description = "Report this process's CPU seconds (utime+stime) over the measured window; repeatable.")
    List<Long> watchPids = List.of();

    @Option(names = "--clk-tck", defaultValue = "100", description = "Clock ticks per second of /proc/PID/stat (getconf CLK_TCK; default ${DEFAULT-VALUE}).")
    int clockTicks;

    @Option(names = "--drain-timeout", defaultValue = "5", description = "Seconds to wait for replies in flight after the window (default ${DEFAULT-VALUE}).")
    double drainTimeout;

    @Option(names = "--connect-timeout", defaultValue = "5", description = "Seconds per connection attempt (default ${DEFAULT-VALUE}).")
    double connectTimeout;

    @Option(names = "--preload-timeout", defaultValue = "300", description = "Seconds the preload may take (default ${DEFAULT-VALUE}).")
    double preloadTimeout;

    @Option(names = "--json", description = "Print one JSON line instead of the text report.")
    boolean json;

    public static void main(String[] args) {
        quietLogging();
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // a later option overrides an earlier one: scripts append to a workload's options (e.g. -c 16 to preload)
        System.exit(new CommandLine(new LoadGenerator()).setOverwrittenOptionsAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Settings settings;
        try {
            if (!"memcache".equals(protocol)) {
                throw new IllegalArgumentException("--protocol " + protocol + " is not supported yet (only memcache)");
            }
            List<LoadRun.Target> targets = java.util.Arrays.stream(target.split(",")).map(String::trim)
                    .map(LoadRun.Target::parse).toList();
            int threadCount = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
            settings = new Settings(targets, connections, pipeline, duration, warmup, getRatio, keysPerGet,
                    valueSize, keySpace, keyPrefix, preload, preloadOnly, allowMisses, idleConnections, threadCount,
                    valueVersion, seed, watchPids, clockTicks, drainTimeout, connectTimeout, preloadTimeout);
            settings.validate();
        } catch (IllegalArgumentException e) {
            System.err.println("shardgate-bench: " + e.getMessage());
            return 2;
        }
        Result result;
        try {
            result = new LoadRun(settings).run();
        } catch (LoadRun.SetupException e) {
            if (json) System.out.println("{\"target\":" + quote(target) + ",\"setup_error\":" + quote(e.getMessage()) + "}");
            System.err.println("shardgate-bench: " + e.getMessage());
            return 2;
        }
        System.out.println(json ? toJson(result) : toText(result));
        return result.failed() ? 1 : 0;
    }

    private static String targetsText(Settings s) {
        return String.join(",", s.targets().stream().map(LoadRun.Target::toString).toList());
    }

    static String toText(Result r) {
        Settings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "target %s  memcache  %d connections%s  pipeline %d  get-ratio %.2f  keys/get %d  value %d B  key space %d  (%s, %d threads)%n",
                targetsText(s), s.connections(), s.idleConnections() > 0 ? " (+" + s.idleConnections() + " idle)" : "",
                s.pipeline(), s.getRatio(), s.keysPerGet(), s.valueSize(), s.keySpace(), r.transport(), s.threads()));
        if (s.preload() || s.preloadOnly()) {
            b.append(String.format(Locale.ROOT, "preload    %d sets in %.2f s, %d errors%n",
                    r.preloadRequests(), r.preloadSeconds(), r.preloadErrors()));
        }
        Tally t = r.measured();
        if (t != null) {
            Histogram h = t.latency;
            b.append(String.format(Locale.ROOT, "window     %.2f s after %.2f s warm-up%n", r.windowSeconds(), s.warmupSeconds()));
            b.append(String.format(Locale.ROOT, "requests   %d  = %.0f ops/s  (%d gets, %d sets; %.0f keys/s)%n",
                    t.ok, r.opsPerSecond(), t.gets, t.sets, r.keysPerSecond()));
            if (t.missedKeys > 0) b.append(String.format(Locale.ROOT, "misses     %d keys%n", t.missedKeys));
            b.append(String.format(Locale.ROOT, "latency    p50 %s  p99 %s  p99.9 %s  max %s  mean %s%n",
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()), ms((long) h.getMean())));
            b.append("errors     ").append(t.errorCount());
            for (ErrorKind k : ErrorKind.values()) {
                if (t.errors[k.ordinal()] > 0) b.append("  ").append(k.jsonName()).append(' ').append(t.errors[k.ordinal()]);
            }
            b.append(String.format("%n"));
            for (int i = 0; i < s.watchPids().size(); i++) {
                double cpu = r.serverCpuSeconds().get(i);
                b.append(String.format(Locale.ROOT, "cpu        pid %d: %s%n", s.watchPids().get(i), cpu < 0 ? "unreadable"
                        : String.format(Locale.ROOT, "%.2f s in the window = %.2f s per million requests", cpu,
                                t.ok == 0 ? 0 : cpu / t.ok * 1e6)));
            }
            b.append(String.format(Locale.ROOT, "client cpu %.2f s in the window%n", r.clientCpuSeconds()));
        }
        if (s.idleConnections() > 0 && !s.preloadOnly()) {
            b.append(String.format("idle       %d of %d still open at the end (%d closed by the server)%n",
                    r.idleOpenAtEnd(), s.idleConnections(), r.idleClosedByServer()));
        }
        if (r.connectionsLost() > 0) b.append("lost       ").append(r.connectionsLost()).append(" load connections").append(String.format("%n"));
        for (String p : r.problems()) b.append("problem    ").append(p).append(String.format("%n"));
        b.append(r.failed() ? "RESULT     FAILED: replies did not verify" : "RESULT     ok: every reply verified");
        return b.toString();
    }

    static String toJson(Result r) {
        Settings s = r.settings();
        StringBuilder b = new StringBuilder(512);
        b.append('{');
        field(b, "target", quote(targetsText(s)));
        field(b, "protocol", quote("memcache"));
        field(b, "transport", quote(r.transport()));
        field(b, "threads", s.threads());
        field(b, "connections", s.connections());
        field(b, "idle_connections", s.idleConnections());
        field(b, "pipeline", s.pipeline());
        field(b, "get_ratio", s.getRatio());
        field(b, "keys_per_get", s.keysPerGet());
        field(b, "value_size", s.valueSize());
        field(b, "key_space", s.keySpace());
        field(b, "preload_requests", r.preloadRequests());
        field(b, "preload_s", round(r.preloadSeconds(), 3));
        field(b, "preload_errors", r.preloadErrors());
        Tally t = r.measured();
        if (t != null) {
            Histogram h = t.latency;
            field(b, "window_s", round(r.windowSeconds(), 3));
            field(b, "warmup_s", s.warmupSeconds());
            field(b, "requests", t.ok);
            field(b, "gets", t.gets);
            field(b, "sets", t.sets);
            field(b, "keys", t.keys);
            field(b, "missed_keys", t.missedKeys);
            field(b, "ops_per_s", round(r.opsPerSecond(), 1));
            field(b, "keys_per_s", round(r.keysPerSecond(), 1));
            field(b, "p50_us", us(h.getValueAtPercentile(50)));
            field(b, "p99_us", us(h.getValueAtPercentile(99)));
            field(b, "p999_us", us(h.getValueAtPercentile(99.9)));
            field(b, "max_us", us(h.getMaxValue()));
            field(b, "mean_us", round(h.getMean() / 1000.0, 1));
            field(b, "errors", t.errorCount());
            StringBuilder kinds = new StringBuilder("{");
            for (ErrorKind k : ErrorKind.values()) {
                if (kinds.length() > 1) kinds.append(',');
                kinds.append(quote(k.jsonName())).append(':').append(t.errors[k.ordinal()]);
            }
            field(b, "error_kinds", kinds.append('}'));
            StringBuilder cpu = new StringBuilder("{");
            for (int i = 0; i < s.watchPids().size(); i++) {
                if (cpu.length() > 1) cpu.append(',');
                double v = r.serverCpuSeconds().get(i);
                cpu.append(quote(Long.toString(s.watchPids().get(i)))).append(':').append(v < 0 ? "null" : round(v, 3));
            }
            field(b, "server_cpu_s", cpu.append('}'));
            field(b, "client_cpu_s", round(r.clientCpuSeconds(), 3));
        }
        field(b, "idle_open_at_end", r.idleOpenAtEnd());
        field(b, "idle_closed_by_server", r.idleClosedByServer());
        field(b, "connections_lost", r.connectionsLost());
        StringBuilder problems = new StringBuilder("[");
        for (String p : r.problems()) {
            if (problems.length() > 1) problems.append(',');
            problems.append(quote(p));
        }
        field(b, "problems", problems.append(']'));
        field(b, "ok", !r.failed());
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, Object value) {
        b.append(quote(name)).append(':').append(value).append(',');
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static double us(long nanos) {
        return round(nanos / 1000.0, 1);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    /** Netty logs through slf4j; without a configuration logback would print every debug line. */
    private static void quietLogging() {
        org.slf4j.ILoggerFactory factory = org.slf4j.LoggerFactory.getILoggerFactory();
        if (factory instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
