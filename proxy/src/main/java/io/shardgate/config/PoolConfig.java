package io.shardgate.config;

import io.shardgate.routing.DistributionKind;
import io.shardgate.routing.HashKind;
import java.util.List;

/**
 * One validated server pool, every key of nutcracker's pool section with nutcracker's defaults applied.
 *
 * @param hashTag two characters, or null when the pool has no hash_tag
 * @param timeoutMs request timeout in milliseconds, or {@link #NO_TIMEOUT} to wait forever (nutcracker's default)
 * @param clientConnections the most client connections the pool accepts, 0 for no limit
 * @param redisAuth the password for redis backends and clients, or null
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
        List<ServerConfig> servers) {

    public static final long NO_TIMEOUT = -1;

    public PoolConfig {
        servers = List.copyOf(servers);
    }

    public boolean hasTimeout() {
        return timeoutMs > 0;
    }
}
