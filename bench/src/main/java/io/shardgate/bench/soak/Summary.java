package io.shardgate.bench.soak;

import io.shardgate.bench.chaos.FaultLog;
import io.shardgate.bench.chaos.LiveStats;
import io.shardgate.bench.load.ErrorKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The verdicts of a soak and the figures behind them, as markdown. */
final class Summary {
    private final SoakRun.Settings s;
    private final List<Sample> samples;
    private final List<Sample> steady;
    private final List<LiveStats> stats;
    private final List<FaultLog.Fault> faults;
    private final List<String> lost;
    private final boolean proxyAlive;
    private final String gc;
    private final long start;
    private final List<String> failures = new ArrayList<>();
    /** Verdicts judged, passed or not. */
    private int verdicts;
    private final StringBuilder md = new StringBuilder();

    Summary(SoakRun.Settings s, List<Sample> samples, List<LiveStats> stats, List<FaultLog.Fault> faults,
            List<String> lost, boolean proxyAlive, String gc, long start) {
        this.s = s;
        this.samples = samples;
        this.steady = samples.stream().filter(x -> x.seconds() >= s.warmupSeconds()).toList();
        this.stats = stats;
        this.faults = faults;
        this.lost = lost;
        this.proxyAlive = proxyAlive;
        this.gc = gc;
        this.start = start;
        build();
    }

    boolean passed() {
        return failures.isEmpty();
    }

    /** One line a test-report reader understands: the verdicts passed and failed. */
    String tally() {
        return "soak: " + (verdicts - failures.size()) + " passed, " + failures.size() + " failed";
    }

    String markdown() {
        return md.toString();
    }

    private void build() {
        long ok = 0;
        long explained = 0;
        long unexplained = 0;
        long mismatched = 0;
        long late = 0;
        long[] kinds = new long[ErrorKind.values().length];
        List<String> examples = new ArrayList<>();
        double maxLatency = 0;
        for (LiveStats st : stats) {
            ok += st.total(st.okCounts());
            explained += st.total(st.explainedCounts());
            unexplained += st.total(st.unexplainedCounts());
            mismatched += st.total(st.mismatchedCounts());
            late += st.total(st.lateCounts());
            long[] k = st.errorsByKind();
            for (int i = 0; i < k.length; i++) kinds[i] += k[i];
            examples.addAll(st.examples());
            maxLatency = Math.max(maxLatency, st.maxLatencyNanos() / 1e6);
        }
        double minutes = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds() / 60;
        line("# Soak summary");
        line("");
        line(String.format(Locale.ROOT, "%.1f minutes of load, %d samples (every %.0f s), %d faults, proxy --threads %d, "
                + "warm-up %.0f s excluded from the memory verdicts.", minutes, samples.size(), s.sampleSeconds(),
                faults.size(), s.proxyThreads(), s.warmupSeconds()));
        line("");
        line("| | |");
        line("|---|---|");
        line(String.format(Locale.ROOT, "| verified requests | %,d (%.0f/s) |", ok, minutes > 0 ? ok / (minutes * 60) : 0));
        line(String.format(Locale.ROOT, "| mismatched replies | %d |", mismatched));
        line(String.format(Locale.ROOT, "| failures outside faults | %d |", unexplained));
        line(String.format(Locale.ROOT, "| failures during faults (explained) | %d |", explained));
        StringBuilder byKind = new StringBuilder();
        for (ErrorKind k : ErrorKind.values()) {
            if (kinds[k.ordinal()] > 0) byKind.append(byKind.length() > 0 ? ", " : "").append(k.jsonName()).append(' ').append(kinds[k.ordinal()]);
        }
        line("| failures by kind | " + (byKind.length() == 0 ? "none" : byKind) + " |");
        line("| client connections lost | " + lost.size() + " |");
        line(String.format(Locale.ROOT, "| slowest request | %.1f ms (%d over the %d ms timeout + 50 ms) |", maxLatency, late, SoakRun.TIMEOUT_MS));
        line(String.format(Locale.ROOT, "| p99 latency per sample, after warm-up | median %.2f ms, worst %.2f ms |",
                median(steady, Sample::p99Ms), max(steady, Sample::p99Ms)));
        line("| GC (from the GC log) | " + gc + " |");
        line(String.format(Locale.ROOT, "| GC pause time per %.0f s sample | median %.1f ms, worst %.1f ms |", s.sampleSeconds(),
                median(steady, Sample::gcMs), max(steady, Sample::gcMs)));
        line("");
        line(String.format(Locale.ROOT, "Memory after the warm-up (band: each stays within %.0f MB of its lowest, and the "
                + "mean of the last quarter is at most %.0f MB above the mean of the first quarter):", s.rssBandMb(),
                s.growthBandMb()));
        line("");
        line("| | lowest | median | highest | first quarter | last quarter | growth | trend |");
        line("|---|--:|--:|--:|--:|--:|--:|--:|");
        memory("RSS (MB)", Sample::rssMb, true);
        memory("heap in use (MB)", Sample::heapMb, false);
        memory("old gen after GC (MB)", Sample::oldAfterGcMb, true);
        memory("metaspace + code (MB)", Sample::nonHeapMb, false);
        memory("direct buffers (MB)", Sample::directMb, true);
        memory("open files", Sample::fds, true);
        line("");
        line("Faults (times from the start of the load):");
        line("");
        for (FaultLog.Fault f : faults) {
            line(String.format(Locale.ROOT, "- %.0f s: pool %s server %d: %s", (f.startedAt - start) / 1e9, f.pool,
                    f.server, f.what));
        }
        if (!examples.isEmpty()) {
            line("");
            line("First failures outside faults and mismatches:");
            line("");
            for (String e : examples) line("- " + e);
        }
        for (String l : lost) line("- lost: " + l);
        verdicts += 5;
        if (mismatched > 0) failures.add(mismatched + " mismatched replies");
        if (unexplained > 0) failures.add(unexplained + " failures outside faults");
        if (!lost.isEmpty()) failures.add(lost.size() + " client connections lost");
        if (!proxyAlive) failures.add("the proxy died");
        if (steady.size() < 4) failures.add("too few samples after the warm-up to judge memory (" + steady.size() + ")");
        line("");
        line(failures.isEmpty() ? "**RESULT: passed**" : "**RESULT: FAILED**: " + String.join("; ", failures));
    }

    /** A memory row; {@code judged} rows must stay within the band. */
    private void memory(String name, ToDoubleFunction<Sample> f, boolean judged) {
        if (steady.isEmpty()) return;
        double lo = min(steady, f);
        double hi = max(steady, f);
        int q = Math.max(1, steady.size() / 4);
        double first = mean(steady.subList(0, q), f);
        double last = mean(steady.subList(steady.size() - q, steady.size()), f);
        double slope = slopePerHour(steady, f);
        line(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %+.1f | %+.1f/h |", name, lo,
                median(steady, f), hi, first, last, last - first, slope));
        if (!judged || Double.isNaN(lo)) return;
        verdicts += 2;
        double band = name.startsWith("open files") ? 16 : s.rssBandMb();
        double growth = name.startsWith("open files") ? 4 : s.growthBandMb();
        if (hi - lo > band) failures.add(String.format(Locale.ROOT, "%s varied by %.1f (band %.0f)", name, hi - lo, band));
        if (last - first > growth) failures.add(String.format(Locale.ROOT, "%s grew by %.1f (band %.0f)", name, last - first, growth));
    }

    private static double slopePerHour(List<Sample> xs, ToDoubleFunction<Sample> f) {
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Sample x : xs) {
            double y = f.applyAsDouble(x);
            if (Double.isNaN(y)) continue;
            double t = x.seconds() / 3600;
            n++;
            sx += t;
            sy += y;
            sxx += t * t;
            sxy += t * y;
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? 0 : (n * sxy - sx * sy) / d;
    }

    private static double[] values(List<Sample> xs, ToDoubleFunction<Sample> f) {
        return xs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).toArray();
    }

    private static double min(List<Sample> xs, ToDoubleFunction<Sample> f) {
        return Arrays.stream(values(xs, f)).min().orElse(Double.NaN);
    }

    private static double max(List<Sample> xs, ToDoubleFunction<Sample> f) {
        return Arrays.stream(values(xs, f)).max().orElse(Double.NaN);
    }

    private static double mean(List<Sample> xs, ToDoubleFunction<Sample> f) {
        return Arrays.stream(values(xs, f)).average().orElse(Double.NaN);
    }

    private static double median(List<Sample> xs, ToDoubleFunction<Sample> f) {
        double[] v = values(xs, f);
        if (v.length == 0) return Double.NaN;
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private void line(String s) {
        md.append(s).append('\n');
    }
}
