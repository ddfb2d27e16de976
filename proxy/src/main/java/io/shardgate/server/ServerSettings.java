package io.shardgate.server;

import java.net.InetAddress;

/**
 * Process-wide settings that come from the command line rather than the config file.
 *
 * @param workers the number of worker event loops, one per core by default
 * @param statsPort nutcracker's {@code -s}; the stats listener (22222 by default)
 * @param statsAddress nutcracker's {@code -a}
 * @param statsIntervalMs nutcracker's {@code -i}: how often per-worker counters are merged for the stats port
 * @param mbufSize nutcracker's {@code -m}: the read buffer size hint for each connection, in bytes
 * @param maxValueBytes the largest value a client may store; memcached's default item size limit is 1 MiB
 */
public record ServerSettings(
        int workers,
        int statsPort,
        InetAddress statsAddress,
        long statsIntervalMs,
        int mbufSize,
        int maxValueBytes) {

    public static final int DEFAULT_STATS_PORT = 22222;
    public static final long DEFAULT_STATS_INTERVAL_MS = 30_000;
    public static final int DEFAULT_MBUF_SIZE = 16_384;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

    public static ServerSettings defaults() {
        return new ServerSettings(Runtime.getRuntime().availableProcessors(), DEFAULT_STATS_PORT,
                InetAddress.getLoopbackAddress(), DEFAULT_STATS_INTERVAL_MS, DEFAULT_MBUF_SIZE, DEFAULT_MAX_VALUE_BYTES);
    }

    public ServerSettings withWorkers(int n) {
        return new ServerSettings(n, statsPort, statsAddress, statsIntervalMs, mbufSize, maxValueBytes);
    }
}
