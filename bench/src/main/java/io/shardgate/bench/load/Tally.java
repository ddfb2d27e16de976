package io.shardgate.bench.load;

import org.HdrHistogram.Histogram;

/** What one connection counted in one phase; written by its event loop only, read after the phase ends. */
public final class Tally implements Outcomes {
    /** Latencies are recorded in nanoseconds, up to a minute, to 3 significant digits. */
    public static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    public long ok;
    public long keys;
    /** Keys a get asked for that were not in its reply (only when misses are allowed; otherwise an error). */
    public long missedKeys;
    public long gets;
    public long sets;
    public final long[] errors = new long[ErrorKind.values().length];
    public final Histogram latency;

    public Tally(boolean withHistogram) {
        this.latency = withHistogram ? new Histogram(MAX_LATENCY_NANOS, 3) : null;
    }

    @Override
    public void verified(Request r, long nowNanos) {
        record(r, nowNanos);
    }

    @Override
    public void failed(Request r, ErrorKind kind, long nowNanos) {
        errors[kind.ordinal()]++;
    }

    void record(Request r, long now) {
        ok++;
        if (r.kind == Request.GET) {
            gets++;
            keys += r.found;
            missedKeys += r.keyCount - r.found;
        } else {
            sets++;
            keys++;
        }
        if (latency != null) latency.recordValue(Math.max(0, Math.min(MAX_LATENCY_NANOS, now - r.sentNanos)));
    }

    public long errorCount() {
        long sum = 0;
        for (long e : errors) sum += e;
        return sum;
    }

    public void add(Tally other) {
        ok += other.ok;
        keys += other.keys;
        missedKeys += other.missedKeys;
        gets += other.gets;
        sets += other.sets;
        for (int i = 0; i < errors.length; i++) errors[i] += other.errors[i];
        if (latency != null && other.latency != null) latency.add(other.latency);
    }
}
