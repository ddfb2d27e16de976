package io.shardgate.routing;

import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import io.netty.buffer.ByteBuf;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import java.util.List;

/**
 * The routing state of one pool as the proxy uses it: worker threads call {@code serverFor} on every request and
 * read the current {@link RoutingSnapshot} through one volatile field; {@link #eject} and {@link #restore}
 * (rare, from auto_eject_hosts handling) build a new snapshot and publish it in one write. Mutators are
 * serialized so two concurrent ejections cannot lose each other.
 */
public final class PoolRouter {
    private volatile RoutingSnapshot snapshot;

    public PoolRouter(HashKind hash, DistributionKind distribution, String hashTag, List<ServerConfig> servers) {
        this.snapshot = RoutingSnapshot.of(KeyHashes.of(hash), distribution,
                hashTag == null ? null : HashTag.of(hashTag), servers);
    }

    public static PoolRouter forPool(PoolConfig pool) {
        return new PoolRouter(pool.hash(), pool.distribution(), pool.hashTag(), pool.servers());
    }

    /**
     * The index (in the pool's configured server list) of the server for the key at {@code key}'s absolute
     * indexes {@code [index, index+length)}, or {@link RoutingSnapshot#NO_LIVE_SERVER} when all are ejected.
     */
    public int serverFor(ByteBuf key, int index, int length) {
        return snapshot.serverFor(key, index, length);
    }

    /** As {@link #serverFor(ByteBuf, int, int)} for {@code key[offset, offset+length)}. */
    public int serverFor(byte[] key, int offset, int length) {
        return snapshot.serverFor(key, offset, length);
    }

    /** Takes {@code server} out of the distribution. Returns false if it already was out. */
    public synchronized boolean eject(int server) {
        RoutingSnapshot current = snapshot;
        RoutingSnapshot next = current.withEjected(server);
        snapshot = next;
        return next != current;
    }

    /** Puts {@code server} back into the distribution. Returns false if it already was in. */
    public synchronized boolean restore(int server) {
        RoutingSnapshot current = snapshot;
        RoutingSnapshot next = current.withRestored(server);
        snapshot = next;
        return next != current;
    }

    /** The current state, for stats and for callers that route several keys against one consistent table. */
    public RoutingSnapshot snapshot() {
        return snapshot;
    }

    public boolean isEjected(int server) {
        return snapshot.isEjected(server);
    }

    public int liveCount() {
        return snapshot.liveCount();
    }
}
