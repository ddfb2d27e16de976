package io.shardgate.protocol;

import java.util.Map;

/**
 * The proxy's own figures for one pool, for a client that asks for them in its protocol (memcached's
 * {@code stats}). Counters are summed over every worker.
 *
 * @param poolClientsAccepted client connections the pool has accepted since start
 * @param pool the pool's stats by their nutcracker names ({@code client_connections}, {@code forward_error}, ...)
 * @param commands requests per command, by the protocol's command names
 * @param servers per server of the pool, in config order: its stats by their nutcracker names
 * @param ejected how many of the pool's servers are ejected now
 */
public record ProxyFigures(
        long pid,
        long uptimeSeconds,
        long timeSeconds,
        String version,
        int workers,
        long currConnections,
        long totalConnections,
        long poolClientsAccepted,
        Map<String, Long> pool,
        Map<String, Long> commands,
        Map<String, Map<String, Long>> servers,
        int ejected) {}
