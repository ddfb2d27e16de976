package io.shardgate.bench.soak;

/**
 * One sample of a soak, over the interval that ends at {@code seconds} since the load started: the proxy's memory at
 * that moment, and what the interval saw.
 *
 * @param rssMb the proxy's resident set
 * @param heapMb heap in use (young and old, garbage included)
 * @param oldAfterGcMb the old generation after its last collection: the heap that lives on
 * @param nonHeapMb metaspace and compiled code
 * @param directMb direct (off-heap) buffer memory the JVM counts, Netty's pooled arenas included
 * @param fds open file descriptors of the proxy
 * @param gcMs time spent in GC pauses during the interval
 * @param gcCount collections during the interval
 * @param p99Ms the 99th percentile latency of the interval's requests, every group together
 * @param maxMs the slowest request of the interval
 * @param opsPerSecond verified requests per second
 * @param explained failures explained by a fault going on
 * @param unexplained failures outside any fault
 * @param mismatched replies that were not their request's
 */
public record Sample(double seconds, double rssMb, double heapMb, double oldAfterGcMb, double nonHeapMb,
        double directMb, double fds,
        double gcMs, double gcCount, double p99Ms, double maxMs, double opsPerSecond, long explained,
        long unexplained, long mismatched, boolean faultActive) {

    static final String CSV_HEADER = "seconds,rss_mb,heap_mb,old_after_gc_mb,non_heap_mb,direct_mb,fds,gc_ms,gc_count,p99_ms,max_ms,"
            + "ops_per_s,explained_failures,unexplained_failures,mismatches,fault_active";

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.1f,%.2f,%.2f,%.2f,%.2f,%.2f,%.0f,%.1f,%.0f,%.3f,%.3f,%.1f,%d,%d,%d,%d",
                seconds, rssMb, heapMb, oldAfterGcMb, nonHeapMb, directMb, fds, gcMs, gcCount, p99Ms, maxMs, opsPerSecond,
                explained, unexplained, mismatched, faultActive ? 1 : 0);
    }
}
