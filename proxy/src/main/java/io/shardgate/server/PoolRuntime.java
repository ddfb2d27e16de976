package io.shardgate.server;

import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.routing.PoolRouter;

/** What all workers share about one pool: its config, its protocol and its router (whose snapshots are immutable). */
record PoolRuntime(int index, PoolConfig config, ProxyProtocol protocol, PoolRouter router) {}
