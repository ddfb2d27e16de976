package io.shardgate.server;

import io.shardgate.backend.PoolHealth;
import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.routing.PoolRouter;
import io.shardgate.stats.PoolFigures;

/**
 * What all workers share about one pool: its config, its protocol, its router (whose snapshots are immutable)
 * its servers' health, which ejects and re-admits servers for every worker at once, and the figures its clients
 * can ask for.
 */
record PoolRuntime(int index, PoolConfig config, ProxyProtocol<?> protocol, PoolRouter router, PoolHealth health,
        ClientLimit clientLimit, PoolFigures figures) {}
