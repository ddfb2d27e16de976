package io.shardgate.bench.chaos;

import io.shardgate.bench.load.ErrorKind;
import io.shardgate.bench.load.KeyVersions;
import io.shardgate.bench.load.Outcomes;
import io.shardgate.bench.load.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * How the requests of one load group ended, counted as they end, in time buckets since the run started, so a run
 * can be judged per fault afterwards. Every failure is classified when it happens:
 * <ul>
 *   <li>a <b>mismatch</b> ({@link ErrorKind#isMismatch()}): a reply that is not its request's (another key's value,
 *       a version nobody wrote or older than one acknowledged, an unparseable reply). Never acceptable.
 *   <li>an <b>explained</b> failure: an error reply, no reply, or a miss, of a request that involved a server while
 *       a fault was done to it (or within the fault's grace after it was lifted), or a miss of a key whose server
 *       lost its data since the key was last acknowledged.
 *   <li>an <b>unexplained</b> failure: any other.
 * </ul>
 * Thread-safe: the group's connections run on several event loops.
 */
public final class LiveStats implements Outcomes {
    private static final int MAX_EXAMPLES = 20;

    private final String pool;
    private final int[] serverOfKey;
    private final KeyVersions versions;
    private final FaultLog faults;
    private final long startNanos;
    private final long bucketNanos;
    private final long lateNanos;
    private final AtomicLongArray ackedAt;

    final AtomicLongArray ok;
    /** Verified requests that involved no server under a fault at the time. */
    final AtomicLongArray okHealthy;
    final AtomicLongArray explained;
    final AtomicLongArray unexplained;
    final AtomicLongArray mismatched;
    final AtomicLongArray late;
    /** The slowest request that ended in each bucket, in nanoseconds. */
    final AtomicLongArray slowest;
    private final AtomicLong maxLatency = new AtomicLong();
    private final Recorder latency = new Recorder(60_000_000_000L, 3);
    private final long[] byKind = new long[ErrorKind.values().length];
    private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
    private volatile java.util.function.IntConsumer onMiss = key -> { };
    private final AtomicInteger exampleCount = new AtomicInteger();
    private final ConcurrentHashMap<FaultLog.Fault, LongAdder> byFault = new ConcurrentHashMap<>();

    /**
     * @param serverOfKey the pool's server index of every key
     * @param lateNanos a request answered later than this (error or not) counts as late
     */
    public LiveStats(String pool, int[] serverOfKey, KeyVersions versions, FaultLog faults, long startNanos,
            long bucketNanos, int buckets, long lateNanos) {
        this.pool = pool;
        this.serverOfKey = serverOfKey;
        this.versions = versions;
        this.faults = faults;
        this.startNanos = startNanos;
        this.bucketNanos = bucketNanos;
        this.lateNanos = lateNanos;
        this.ackedAt = new AtomicLongArray(serverOfKey.length);
        ok = new AtomicLongArray(buckets);
        okHealthy = new AtomicLongArray(buckets);
        explained = new AtomicLongArray(buckets);
        unexplained = new AtomicLongArray(buckets);
        mismatched = new AtomicLongArray(buckets);
        late = new AtomicLongArray(buckets);
        slowest = new AtomicLongArray(buckets);
    }

    /** Told of every key a get found missing (a cache client would write it back). */
    public void onMiss(java.util.function.IntConsumer listener) {
        this.onMiss = listener;
    }

    public String pool() {
        return pool;
    }

    private int bucket(long now) {
        long b = (now - startNanos) / bucketNanos;
        return (int) Math.max(0, Math.min(ok.length() - 1, b));
    }

    private long servers(Request r) {
        long mask = 0;
        for (int i = 0; i < r.keyCount(); i++) mask |= 1L << serverOfKey[r.key(i)];
        return mask;
    }

    private void timing(Request r, long now, int b) {
        long took = now - r.sentNanos();
        latency.recordValue(Math.max(0, Math.min(took, 60_000_000_000L)));
        long max;
        while ((max = maxLatency.get()) < took && !maxLatency.compareAndSet(max, took)) {
            // retry
        }
        if (took > lateNanos) late.incrementAndGet(b);
        raise(slowest, b, took);
    }

    @Override
    public void verified(Request r, long now) {
        int b = bucket(now);
        if (r.kind() == Request.SET) {
            versions.acknowledged(r.key(0), r.version());
            raise(ackedAt, r.key(0), now);
        }
        ok.incrementAndGet(b);
        FaultLog.Fault active = faults.active(pool);
        if (active == null || (servers(r) & (1L << active.server)) == 0) okHealthy.incrementAndGet(b);
        timing(r, now, b);
    }

    @Override
    public void failed(Request r, ErrorKind kind, long now) {
        int b = bucket(now);
        synchronized (byKind) {
            byKind[kind.ordinal()]++;
        }
        if (r.kind() == Request.SET) versions.uncertain(r.key(0), r.version());
        timing(r, now, b);
        if (kind.isMismatch()) {
            mismatched.incrementAndGet(b);
            example("MISMATCH " + kind.jsonName(), r, now);
            return;
        }
        FaultLog.Fault cause = kind == ErrorKind.MISSING_VALUE ? missCause(r)
                : faults.explaining(pool, servers(r), r.sentNanos(), now);
        if (cause != null) {
            explained.incrementAndGet(b);
            byFault.computeIfAbsent(cause, f -> new LongAdder()).increment();
        } else {
            unexplained.incrementAndGet(b);
            example("UNEXPLAINED " + kind.jsonName(), r, now);
        }
    }

    /**
     * What explains the keys missing from a get's reply: the wipe that lost the first of them acknowledged before
     * the get was sent, {@link FaultLog#NONE} when none was, null when one was and no wipe since explains it.
     */
    private FaultLog.Fault missCause(Request r) {
        FaultLog.Fault cause = FaultLog.NONE;
        for (int i = 0; i < r.keyCount(); i++) {
            if (r.seen(i)) continue;
            int key = r.key(i);
            onMiss.accept(key);
            if (cause == null) continue;
            long acked = ackedAt.get(key);
            if (acked == 0 || acked - r.sentNanos() >= 0) continue;
            FaultLog.Fault wipe = faults.lastWipe(pool, serverOfKey[key], r.sentNanos());
            if (wipe == null || wipe.wipedAt() - acked <= 0) {
                cause = null;
            } else if (cause == FaultLog.NONE) {
                cause = wipe;
            }
        }
        return cause;
    }

    /**
     * Failures {@code fault} explains, wherever in the run they ended (a wiped key may be read long after its
     * server came back), rather than all explained failures that ended while it lasted.
     */
    public long explainedBy(FaultLog.Fault fault) {
        LongAdder n = byFault.get(fault);
        return n == null ? 0 : n.sum();
    }

    private void example(String what, Request r, long now) {
        if (exampleCount.incrementAndGet() > MAX_EXAMPLES) return;
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < Math.min(r.keyCount(), 5); i++) {
            keys.append(i > 0 ? "," : "").append(r.key(i)).append("@s").append(serverOfKey[r.key(i)]);
        }
        if (r.keyCount() > 5) keys.append(",...");
        examples.add(String.format(java.util.Locale.ROOT, "%s: pool %s %s keys [%s]%s at %.3f s after %.1f ms%s",
                what, pool, r.kind() == Request.SET ? "set v" + r.version() : "get", keys,
                r.errorText() != null ? " (" + r.errorText() + ")" : "", (now - startNanos) / 1e9,
                (now - r.sentNanos()) / 1e6, ""));
    }

    private static void raise(AtomicLongArray a, int i, long v) {
        long old;
        while ((old = a.get(i)) < v && !a.compareAndSet(i, old, v)) {
            // retry
        }
    }

    public AtomicLongArray okCounts() {
        return ok;
    }

    public AtomicLongArray okHealthyCounts() {
        return okHealthy;
    }

    public AtomicLongArray explainedCounts() {
        return explained;
    }

    public AtomicLongArray unexplainedCounts() {
        return unexplained;
    }

    public AtomicLongArray mismatchedCounts() {
        return mismatched;
    }

    public AtomicLongArray lateCounts() {
        return late;
    }

    /**
     * The median rate of verified requests per second over the buckets of {@code [fromNanos, toNanos)}: a
     * throughput that one stalled or one lucky bucket on a shared machine does not move much.
     */
    public double medianRate(long fromNanos, long toNanos) {
        int from = bucket(fromNanos);
        int to = bucket(toNanos);
        if (to <= from) return 0;
        long[] counts = new long[to - from];
        for (int b = from; b < to; b++) counts[b - from] = ok.get(b);
        java.util.Arrays.sort(counts);
        double median = counts.length % 2 == 1 ? counts[counts.length / 2]
                : (counts[counts.length / 2 - 1] + counts[counts.length / 2]) / 2.0;
        return median * 1e9 / bucketNanos;
    }

    /** The slowest request that ended in {@code [fromNanos, toNanos)}. */
    public long slowest(long fromNanos, long toNanos) {
        long m = 0;
        for (int b = bucket(fromNanos); b < bucket(toNanos); b++) m = Math.max(m, slowest.get(b));
        return m;
    }

    /** The fewest verified requests on healthy servers in any slice of {@code sliceNanos} of {@code [from, to)}. */
    public long fewestHealthy(long fromNanos, long toNanos, long sliceNanos) {
        long fewest = Long.MAX_VALUE;
        for (long t = fromNanos; t + sliceNanos - toNanos <= 0; t += sliceNanos) {
            fewest = Math.min(fewest, sum(okHealthy, t, t + sliceNanos));
        }
        return fewest == Long.MAX_VALUE ? 0 : fewest;
    }

    public long maxLatencyNanos() {
        return maxLatency.get();
    }

    /** The latency histogram since the last call (for interval sampling). */
    public org.HdrHistogram.Histogram intervalLatency() {
        return latency.getIntervalHistogram();
    }

    public long[] errorsByKind() {
        synchronized (byKind) {
            return byKind.clone();
        }
    }

    public List<String> examples() {
        return new ArrayList<>(examples);
    }

    public long sum(AtomicLongArray a, long fromNanos, long toNanos) {
        long s = 0;
        for (int b = bucket(fromNanos); b < bucket(toNanos); b++) s += a.get(b);
        return s;
    }

    public long total(AtomicLongArray a) {
        long s = 0;
        for (int b = 0; b < a.length(); b++) s += a.get(b);
        return s;
    }

    public long bucketNanos() {
        return bucketNanos;
    }

    public long startNanos() {
        return startNanos;
    }
}
