package io.shardgate.config;

import java.net.InetAddress;

/**
 * Process-wide settings that come from the command line rather than the config file.
 *
 * @param workers the number of worker event loops, one per core by default
 * @param statsPort nutcracker's {@code -s}: the stats listener's port (the command line's default is 22222; 0 picks
 *     a free port)
 * @param statsAddress nutcracker's {@code -a}
 * @param statsIntervalMs nutcracker's {@code -i}: how often per-worker counters are merged for the stats port
 * @param mbufSize nutcracker's {@code -m}: the read buffer size hint for each connection, in bytes
 * @param maxValueBytes the largest value a client may store; memcached's default item size limit is 1 MiB
 * @param adminPort the HTTP admin listener ({@code /metrics}, {@code /health}); {@link #ADMIN_OFF} for none, 0 for
 *     a free port
 * @param adminAddress the address the admin listener binds
 */
public record ServerSettings(
        int workers,
        int statsPort,
        InetAddress statsAddress,
        long statsIntervalMs,
        int mbufSize,
        int maxValueBytes,
        int adminPort,
        InetAddress adminAddress) {

    public static final int DEFAULT_STATS_PORT = 22222;
    public static final long DEFAULT_STATS_INTERVAL_MS = 30_000;
    public static final int DEFAULT_MBUF_SIZE = 16_384;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    /** No admin (Prometheus) listener: the default, so a drop-in replacement opens no port nutcracker did not. */
    public static final int ADMIN_OFF = -1;

    /** The settings without an admin listener. */
    public ServerSettings(int workers, int statsPort, InetAddress statsAddress, long statsIntervalMs, int mbufSize,
            int maxValueBytes) {
        this(workers, statsPort, statsAddress, statsIntervalMs, mbufSize, maxValueBytes, ADMIN_OFF, statsAddress);
    }

    /**
     * Settings for a proxy embedded in a program or a test: every default of the command line except the stats
     * port, which is a free loopback port here so two proxies never collide on 22222.
     */
    public static ServerSettings defaults() {
        return new ServerSettings(Runtime.getRuntime().availableProcessors(), 0,
                InetAddress.getLoopbackAddress(), DEFAULT_STATS_INTERVAL_MS, DEFAULT_MBUF_SIZE, DEFAULT_MAX_VALUE_BYTES);
    }

    public ServerSettings withWorkers(int n) {
        return new ServerSettings(n, statsPort, statsAddress, statsIntervalMs, mbufSize, maxValueBytes, adminPort,
                adminAddress);
    }

    public ServerSettings withStats(int port, long intervalMs) {
        return new ServerSettings(workers, port, statsAddress, intervalMs, mbufSize, maxValueBytes, adminPort,
                adminAddress);
    }

    public ServerSettings withAdmin(int port, InetAddress address) {
        return new ServerSettings(workers, statsPort, statsAddress, statsIntervalMs, mbufSize, maxValueBytes, port,
                address);
    }

    public boolean adminEnabled() {
        return adminPort != ADMIN_OFF;
    }
}
