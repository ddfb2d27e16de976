package io.shardgate.routing;

import io.shardgate.config.DistributionKind;
import io.netty.buffer.ByteBuf;
import io.shardgate.config.ServerConfig;
import java.util.List;
import java.util.Objects;

/**
 * One immutable routing state of a pool: the hash, the optional hash tag, and the distribution table built over the
 * servers that are live right now. Ejecting or restoring a server makes a new snapshot (as nutcracker rebuilds its
 * continuum), so readers never see a half-built table. Server indexes are positions in the configured list.
 */
public final class RoutingSnapshot {
    /** What {@code serverFor} returns when every server is ejected. */
    public static final int NO_LIVE_SERVER = -1;

    private final KeyHash hash;
    private final DistributionKind distribution;
    private final HashTag hashTag;
    private final List<ServerConfig> servers;
    private final boolean[] ejected;
    private final int liveCount;
    /** Null when no server is live. */
    private final Dispatcher dispatcher;

    private RoutingSnapshot(KeyHash hash, DistributionKind distribution, HashTag hashTag, List<ServerConfig> servers,
                            boolean[] ejected) {
        this.hash = hash;
        this.distribution = distribution;
        this.hashTag = hashTag;
        this.servers = servers;
        this.ejected = ejected;
        int count = 0;
        for (boolean out : ejected) {
            if (!out) count++;
        }
        this.liveCount = count;
        this.dispatcher = count == 0 ? null : buildDispatcher(distribution, servers, ejected);
    }

    /**
     * A snapshot with every server live.
     *
     * @param hashTag the pool's hash tag, or null for none
     */
    public static RoutingSnapshot of(KeyHash hash, DistributionKind distribution, HashTag hashTag,
                                     List<ServerConfig> servers) {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(distribution, "distribution");
        if (servers.isEmpty()) throw new IllegalArgumentException("a pool needs at least one server");
        NutcrackerOrder.of(servers); // fails fast on duplicate names, even for a one-server-live pool
        return new RoutingSnapshot(hash, distribution, hashTag, List.copyOf(servers), new boolean[servers.size()]);
    }

    /** Builds the table in nutcracker's server order (see {@link NutcrackerOrder}), reporting configured indexes. */
    private static Dispatcher buildDispatcher(DistributionKind kind, List<ServerConfig> servers, boolean[] ejected) {
        int[] ids = NutcrackerOrder.of(servers);
        int n = ids.length;
        String[] names = new String[n];
        int[] weights = new int[n];
        boolean[] live = new boolean[n];
        for (int k = 0; k < n; k++) {
            ServerConfig server = servers.get(ids[k]);
            names[k] = server.ketamaName();
            weights[k] = server.weight();
            live[k] = !ejected[ids[k]];
        }
        return switch (kind) {
            case KETAMA -> KetamaContinuum.build(names, weights, live, ids);
            case MODULA -> ModulaTable.build(weights, live, ids);
            case RANDOM -> RandomPicker.build(live, ids);
        };
    }

    /** The server for {@code key[offset, offset+length)}, or {@link #NO_LIVE_SERVER}. */
    public int serverFor(byte[] key, int offset, int length) {
        Dispatcher d = dispatcher;
        if (d == null) return NO_LIVE_SERVER;
        if (servers.size() == 1) return 0; // nutcracker skips hashing for a one-server pool
        if (!d.usesHash()) return d.dispatch(0);
        if (hashTag != null) {
            long span = hashTag.span(key, offset, length);
            offset = HashTag.start(span);
            length = HashTag.length(span);
        }
        return d.dispatch(length == 0 ? 0 : hash.hash(key, offset, length)); // empty key hashes to 0, unhashed
    }

    /** The server for the key at {@code buf}'s absolute indexes {@code [index, index+length)}. */
    public int serverFor(ByteBuf key, int index, int length) {
        Dispatcher d = dispatcher;
        if (d == null) return NO_LIVE_SERVER;
        if (servers.size() == 1) return 0;
        if (!d.usesHash()) return d.dispatch(0);
        if (hashTag != null) {
            long span = hashTag.span(key, index, length);
            index = HashTag.start(span);
            length = HashTag.length(span);
        }
        return d.dispatch(length == 0 ? 0 : hash.hash(key, index, length));
    }

    /** This snapshot with {@code server} ejected too; this same snapshot if it already was. */
    public RoutingSnapshot withEjected(int server) {
        return withState(server, true);
    }

    /** This snapshot with {@code server} live again; this same snapshot if it already was. */
    public RoutingSnapshot withRestored(int server) {
        return withState(server, false);
    }

    private RoutingSnapshot withState(int server, boolean eject) {
        Objects.checkIndex(server, ejected.length);
        if (ejected[server] == eject) return this;
        boolean[] next = ejected.clone();
        next[server] = eject;
        return new RoutingSnapshot(hash, distribution, hashTag, servers, next);
    }

    public boolean isEjected(int server) {
        return ejected[server];
    }

    public int liveCount() {
        return liveCount;
    }

    public int serverCount() {
        return servers.size();
    }

    public List<ServerConfig> servers() {
        return servers;
    }

    public KeyHash hash() {
        return hash;
    }

    public DistributionKind distribution() {
        return distribution;
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }
}
