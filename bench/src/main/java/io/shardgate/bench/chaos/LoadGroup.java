package io.shardgate.bench.chaos;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.shardgate.bench.load.Connection;
import io.shardgate.bench.load.ErrorKind;
import io.shardgate.bench.load.KeySpace;
import io.shardgate.bench.load.KeyVersions;
import io.shardgate.bench.load.MemcacheProtocol;
import io.shardgate.bench.load.Phase;
import io.shardgate.bench.load.RedisProtocol;
import io.shardgate.bench.load.RequestSource;
import io.shardgate.bench.load.Tally;
import io.shardgate.bench.load.ValueCheck;
import io.shardgate.bench.load.ValueSpec;
import io.shardgate.bench.load.WireProtocol;
import io.shardgate.routing.PoolRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections of one kind of traffic to one pool of the proxy (say: redis, 100-byte values, 70% GET, 20% MGET of 10
 * keys, 10% SET), with versioned values, every reply verified and every outcome counted in a {@link LiveStats}.
 * Closed loop (each reply lets the next request go, up to {@code depth} in flight), or paced at a rate.
 */
public final class LoadGroup {
    /**
     * @param ratePerConnection requests per second per connection, 0 for as fast as replies come
     */
    public record Spec(String name, boolean redis, String keyPrefix, int keys, int valueSize, int connections,
            int depth, double getShare, double multiShare, int multiKeys, double ratePerConnection) {}

    private static final int PRELOAD_DEPTH = 16;

    private final Spec spec;
    private final KeySpace keySpace;
    private final KeyVersions versions;
    private final WireProtocol protocol;
    private final int[] serverOfKey;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private volatile boolean stopping;
    private CountDownLatch running;
    private LiveStats stats;

    public LoadGroup(Spec spec, PoolRouter router) {
        this.spec = spec;
        this.keySpace = new KeySpace(spec.keyPrefix(), spec.keys());
        this.versions = new KeyVersions(spec.keys());
        ValueSpec values = new ValueSpec(spec.valueSize(), 1);
        this.protocol = spec.redis()
                ? new RedisProtocol(keySpace, values, false, () -> ValueCheck.versioned(values, versions))
                : new MemcacheProtocol(keySpace, values, false, () -> ValueCheck.versioned(values, versions));
        this.serverOfKey = new int[spec.keys()];
        for (int k = 0; k < spec.keys(); k++) {
            byte[] key = keySpace.key(k);
            serverOfKey[k] = router.serverFor(key, 0, key.length);
        }
    }

    public Spec spec() {
        return spec;
    }

    public KeyVersions versions() {
        return versions;
    }

    public int[] serverOfKey() {
        return serverOfKey;
    }

    /** A client event loop group: epoll where available. */
    public static EventLoopGroup newEventLoops(int threads) {
        return io.netty.channel.epoll.Epoll.isAvailable() ? new EpollEventLoopGroup(threads)
                : new io.netty.channel.nio.NioEventLoopGroup(threads);
    }

    public void connect(EventLoopGroup group, String host, int port) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(group)
                .channel(group instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        int capacity = Math.max(spec.depth(), PRELOAD_DEPTH);
        for (int i = 0; i < spec.connections(); i++) {
            Connection c = new Connection(protocol, capacity, Math.max(1, spec.multiKeys()));
            ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(c);
                }
            }).connect(host, port);
            if (!f.await(6, TimeUnit.SECONDS) || !f.isSuccess()) {
                throw new IllegalStateException(spec.name() + ": cannot connect to " + host + ":" + port + ": " + f.cause());
            }
            connections.add(c);
            channels.add(f.channel());
        }
    }

    /** Writes version 1 of every key; throws unless every set was stored. */
    public void preload(long timeoutMillis) throws InterruptedException {
        AtomicInteger nextKey = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections.size());
        List<Tally> tallies = new ArrayList<>();
        String[] firstError = new String[1];
        int depth = spec.valueSize() >= 16 * 1024 ? 2 : PRELOAD_DEPTH;
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            Tally t = new Tally(false);
            tallies.add(t);
            RequestSource source = slot -> {
                int key = nextKey.getAndIncrement();
                if (key >= spec.keys()) return false;
                int v = versions.next(key);
                slot.set(key, v);
                return true;
            };
            channels.get(i).eventLoop().execute(() -> c.begin(source, Phase.untimed(), depth, new io.shardgate.bench.load.Outcomes() {
                @Override
                public void verified(io.shardgate.bench.load.Request r, long now) {
                    versions.acknowledged(r.key(0), r.version());
                    t.verified(r, now);
                }

                @Override
                public void failed(io.shardgate.bench.load.Request r, ErrorKind kind, long now) {
                    if (firstError[0] == null) firstError[0] = kind.jsonName() + " " + r.errorText();
                    t.failed(r, kind, now);
                }
            }, done));
        }
        if (!done.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(spec.name() + ": preload did not finish within " + timeoutMillis + " ms");
        }
        Tally sum = new Tally(false);
        for (Tally t : tallies) sum.add(t);
        if (sum.errorCount() > 0 || sum.sets != spec.keys()) {
            StringBuilder kinds = new StringBuilder();
            for (ErrorKind k : ErrorKind.values()) {
                if (sum.errors[k.ordinal()] > 0) kinds.append(' ').append(k.jsonName()).append(' ').append(sum.errors[k.ordinal()]);
            }
            throw new IllegalStateException(spec.name() + ": preload stored " + sum.sets + " of " + spec.keys()
                    + " keys; errors:" + kinds + (firstError[0] != null ? " (first: " + firstError[0] + ")" : ""));
        }
    }

    /** Starts the traffic, counting into {@code stats} until {@link #stop}. */
    public void start(LiveStats stats, long seed) {
        this.stats = stats;
        int n = connections.size();
        java.util.concurrent.atomic.AtomicIntegerArray queued = new java.util.concurrent.atomic.AtomicIntegerArray(spec.keys());
        List<java.util.Queue<Integer>> refills = new ArrayList<>();
        for (int i = 0; i < n; i++) refills.add(new java.util.concurrent.ConcurrentLinkedQueue<>());
        // cache-aside: a key found missing is written again, by the connection that owns its writes
        stats.onMiss(key -> {
            if (queued.compareAndSet(key, 0, 1)) refills.get(key % n).offer(key);
        });
        running = new CountDownLatch(connections.size());
        long pacing = spec.ratePerConnection() > 0 ? (long) (1e9 / spec.ratePerConnection()) : 0;
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            java.util.Queue<Integer> refill = refills.get(i);
            RequestSource source = new MixedSource(versions, i, connections.size(), spec.getShare(), spec.multiShare(),
                    spec.multiKeys(), seed * 1_000_003L + i, () -> stopping, () -> {
                        Integer k = refill.poll();
                        if (k == null) return -1;
                        queued.set(k, 0);
                        return k;
                    });
            channels.get(i).eventLoop().execute(() -> c.begin(source, Phase.untimed(), spec.depth(), pacing, stats, running));
        }
    }

    public LiveStats stats() {
        return stats;
    }

    /**
     * Stops issuing and waits for the replies in flight; requests still unanswered after {@code drainMillis} count as
     * NO_REPLY. Returns the reasons connections were lost (closed by the proxy), empty when none was.
     */
    public List<String> stop(long drainMillis) throws InterruptedException {
        stopping = true;
        if (running != null && !running.await(drainMillis, TimeUnit.MILLISECONDS)) {
            for (int i = 0; i < connections.size(); i++) {
                Connection c = connections.get(i);
                channels.get(i).eventLoop().submit(c::abandon).await(5, TimeUnit.SECONDS);
            }
        }
        List<String> lost = new ArrayList<>();
        for (Connection c : connections) {
            if (c.closeReason() != null) lost.add(spec.name() + ": " + c.closeReason());
        }
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            channels.get(i).eventLoop().execute(c::close);
        }
        for (Channel ch : channels) ch.closeFuture().await(2, TimeUnit.SECONDS);
        return lost;
    }
}
