package io.shardgate.stats;

/**
 * The fixed buckets of the request latency histograms (time from a request being forwarded to a server until
 * its reply arrives). Fixed bounds make a worker's histogram a plain {@code long[]} that is merged by adding, and
 * map one to one onto Prometheus's classic histogram buckets.
 */
public final class Latency {
    private Latency() {}

    /** Upper bounds in microseconds, ascending; a last, implicit bucket takes everything above (+Inf). */
    static final long[] BOUNDS_MICROS = {
        50, 100, 250, 500,
        1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000,
    };

    /** Bucket count including the +Inf bucket. */
    public static final int BUCKETS = BOUNDS_MICROS.length + 1;

    private static final long[] BOUNDS_NANOS = java.util.Arrays.stream(BOUNDS_MICROS).map(m -> m * 1_000).toArray();

    /**
     * The bucket of a latency (a value equal to a bound goes into that bucket). A scan from the smallest bound:
     * nearly every request falls in the first few buckets, so this takes a few well-predicted comparisons, once
     * per reply on the hot path.
     */
    static int bucket(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
        return i;
    }

    /** Upper bound of bucket {@code i} in seconds, {@code +Inf} for the last. */
    public static double upperBoundSeconds(int i) {
        return i < BOUNDS_MICROS.length ? BOUNDS_MICROS[i] / 1e6 : Double.POSITIVE_INFINITY;
    }

    /**
     * The {@code q}-quantile (0 to 1) of a histogram of these buckets, in microseconds, interpolated linearly within
     * its bucket as Prometheus's {@code histogram_quantile} does; NaN for an empty histogram. A quantile that falls
     * in the +Inf bucket is reported as the largest bound.
     */
    public static double quantileMicros(long[] counts, double q) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return Double.NaN;
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < counts.length; i++) {
            long upTo = below + counts[i];
            if (counts[i] > 0 && upTo >= rank) {
                if (i >= BOUNDS_MICROS.length) return BOUNDS_MICROS[BOUNDS_MICROS.length - 1];
                double lower = i == 0 ? 0 : BOUNDS_MICROS[i - 1];
                return lower + (BOUNDS_MICROS[i] - lower) * (rank - below) / counts[i];
            }
            below = upTo;
        }
        return BOUNDS_MICROS[BOUNDS_MICROS.length - 1];
    }
}
