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

    /** The bucket of a latency, by binary search over the bounds (a value equal to a bound goes into that bucket). */
    static int bucket(long nanos) {
        long micros = nanos / 1_000;
        if (nanos % 1_000 != 0) micros++; // round up so that "<= bound" holds for the nanosecond value
        int lo = 0;
        int hi = BOUNDS_MICROS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (BOUNDS_MICROS[mid] < micros) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Upper bound of bucket {@code i} in seconds, {@code +Inf} for the last. */
    public static double upperBoundSeconds(int i) {
        return i < BOUNDS_MICROS.length ? BOUNDS_MICROS[i] / 1e6 : Double.POSITIVE_INFINITY;
    }
}
