package io.shardgate.config;

import java.util.List;

/**
 * One validated server pool, every key of nutcracker's pool section with nutcracker's defaults applied.
 *
 * @param hashTag two characters, or null when the pool has no hash_tag
 * @param timeoutMs request timeout in milliseconds, or {@link #NO_TIMEOUT} to wait forever (nutcracker's default)
 * @param clientConnections the most client connections the pool accepts, 0 for no limit
 * @param redisAuth the password for redis backends and clients, or null
 * @param failurePolicy shardgate's options beyond nutcracker for failed servers; nutcracker's behaviour by default
 * @param allowFlushAll whether a client's memcached {@code flush_all} is sent to every server of the pool (the
 *     default) or refused, for pools whose data must never be flushed fleet-wide by one client
 */
public record PoolConfig(
        String name,
        ListenAddress listen,
        HashKind hash,
        String hashTag,
        DistributionKind distribution,
        long timeoutMs,
        int backlog,
        int clientConnections,
        boolean redis,
        String redisAuth,
        int redisDb,
        boolean preconnect,
        boolean autoEjectHosts,
        int serverConnections,
        long serverRetryTimeoutMs,
        int serverFailureLimit,
        boolean tcpKeepalive,
        List<ServerConfig> servers,
        FailurePolicy failurePolicy,
        boolean allowFlushAll) {

    public static final long NO_TIMEOUT = -1;

    // nutcracker's defaults for the keys a pool leaves out (nc_conf.h)
    public static final HashKind DEFAULT_HASH = HashKind.FNV1A_64;
    public static final DistributionKind DEFAULT_DISTRIBUTION = DistributionKind.KETAMA;
    public static final long DEFAULT_TIMEOUT_MS = NO_TIMEOUT;
    public static final int DEFAULT_BACKLOG = 512;
    public static final int DEFAULT_CLIENT_CONNECTIONS = 0;
    public static final int DEFAULT_REDIS_DB = 0;
    public static final int DEFAULT_SERVER_CONNECTIONS = 1;
    public static final long DEFAULT_SERVER_RETRY_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_SERVER_FAILURE_LIMIT = 2;
    public static final boolean DEFAULT_ALLOW_FLUSH_ALL = true;

    public PoolConfig {
        servers = List.copyOf(servers);
        if (failurePolicy == null) failurePolicy = FailurePolicy.NUTCRACKER;
    }

    /** A pool with shardgate's default for {@code allow_flush_all}. */
    public PoolConfig(String name, ListenAddress listen, HashKind hash, String hashTag, DistributionKind distribution,
            long timeoutMs, int backlog, int clientConnections, boolean redis, String redisAuth, int redisDb,
            boolean preconnect, boolean autoEjectHosts, int serverConnections, long serverRetryTimeoutMs,
            int serverFailureLimit, boolean tcpKeepalive, List<ServerConfig> servers, FailurePolicy failurePolicy) {
        this(name, listen, hash, hashTag, distribution, timeoutMs, backlog, clientConnections, redis, redisAuth, redisDb,
                preconnect, autoEjectHosts, serverConnections, serverRetryTimeoutMs, serverFailureLimit, tcpKeepalive,
                servers, failurePolicy, DEFAULT_ALLOW_FLUSH_ALL);
    }

    /** A pool with nutcracker's failure handling: every nutcracker key, no shardgate-only option. */
    public PoolConfig(String name, ListenAddress listen, HashKind hash, String hashTag, DistributionKind distribution,
            long timeoutMs, int backlog, int clientConnections, boolean redis, String redisAuth, int redisDb,
            boolean preconnect, boolean autoEjectHosts, int serverConnections, long serverRetryTimeoutMs,
            int serverFailureLimit, boolean tcpKeepalive, List<ServerConfig> servers) {
        this(name, listen, hash, hashTag, distribution, timeoutMs, backlog, clientConnections, redis, redisAuth, redisDb,
                preconnect, autoEjectHosts, serverConnections, serverRetryTimeoutMs, serverFailureLimit, tcpKeepalive,
                servers, FailurePolicy.NUTCRACKER);
    }

    /** A memcached pool with nutcracker's default for every key but the required {@code listen} and {@code servers}. */
    public static PoolConfig withDefaults(String name, ListenAddress listen, List<ServerConfig> servers) {
        return new PoolConfig(name, listen, DEFAULT_HASH, null, DEFAULT_DISTRIBUTION, DEFAULT_TIMEOUT_MS,
                DEFAULT_BACKLOG, DEFAULT_CLIENT_CONNECTIONS, false, null, DEFAULT_REDIS_DB, false, false,
                DEFAULT_SERVER_CONNECTIONS, DEFAULT_SERVER_RETRY_TIMEOUT_MS, DEFAULT_SERVER_FAILURE_LIMIT, false,
                servers);
    }

    public boolean hasTimeout() {
        return timeoutMs > 0;
    }
}
