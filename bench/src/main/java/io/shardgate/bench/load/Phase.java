package io.shardgate.bench.load;

/**
 * The time frame of one phase, on the {@link System#nanoTime()} clock. Requests are issued until {@code issueEnd};
 * replies that verify and arrive in {@code [measureStart, measureEnd)} are counted and their latency recorded.
 */
public final class Phase {
    private final boolean timed;
    private final long measureStart;
    private final long measureEnd;
    private volatile boolean aborted;

    private Phase(boolean timed, long measureStart, long measureEnd) {
        this.timed = timed;
        this.measureStart = measureStart;
        this.measureEnd = measureEnd;
    }

    /** Warm-up, then a measured window; issuing stops when the window ends. */
    public static Phase timed(long startNanos, long warmupNanos, long durationNanos) {
        return new Phase(true, startNanos + warmupNanos, startNanos + warmupNanos + durationNanos);
    }

    /** Every reply counts, and issuing ends when the request source runs dry (preload). */
    public static Phase untimed() {
        return new Phase(false, 0, 0);
    }

    public long measureStart() {
        return measureStart;
    }

    public long measureEnd() {
        return measureEnd;
    }

    public boolean measuring(long now) {
        return !timed || (now - measureStart >= 0 && measureEnd - now > 0);
    }

    public boolean issuing(long now) {
        return !aborted && (!timed || measureEnd - now > 0);
    }

    public void abort() {
        aborted = true;
    }
}
