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
    /** Buffers without leak tracking, for the test tools' own connections (load, relays). */
    static final io.netty.buffer.ByteBufAllocator CLIENT_BUFFERS = new io.netty.buffer.UnpooledByteBufAllocator(true, true);

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
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                // the clients' buffers are not what is under test: no leak tracking of them, which at the tests'
                // PARANOID level would make the load generator, not the proxy, what the latencies measure
                .option(ChannelOption.ALLOCATOR, CLIENT_BUFFERS);
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

    /**
     * Writes every key once (version 1, or the next if a first write failed); a key whose set failed is written
     * again, up to three times in all. Throws unless every key was stored.
     */
    public void preload(long timeoutMillis) throws InterruptedException {
        String problem = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int[] missing = java.util.stream.IntStream.range(0, spec.keys()).filter(k -> versions.acked(k) == 0).toArray();
            if (missing.length == 0) return;
            problem = preloadOnce(missing, timeoutMillis);
        }
        long stored = java.util.stream.IntStream.range(0, spec.keys()).filter(k -> versions.acked(k) > 0).count();
        if (stored < spec.keys()) {
            throw new IllegalStateException(spec.name() + ": preload stored " + stored + " of " + spec.keys()
                    + " keys after 3 attempts; " + problem);
        }
    }

    private String preloadOnce(int[] keys, long timeoutMillis) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections.size());
        Tally sum = new Tally(false);
        String[] firstError = new String[1];
        int depth = spec.valueSize() >= 16 * 1024 ? 2 : PRELOAD_DEPTH;
        io.shardgate.bench.load.Outcomes outcomes = new io.shardgate.bench.load.Outcomes() {
            @Override
            public synchronized void verified(io.shardgate.bench.load.Request r, long now) {
                versions.acknowledged(r.key(0), r.version());
                sum.verified(r, now);
            }

            @Override
            public synchronized void failed(io.shardgate.bench.load.Request r, ErrorKind kind, long now) {
                if (firstError[0] == null) firstError[0] = kind.jsonName() + " " + r.errorText();
                versions.uncertain(r.key(0), r.version());
                sum.failed(r, kind, now);
            }
        };
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            RequestSource source = slot -> {
                int at = next.getAndIncrement();
                if (at >= keys.length) return false;
                slot.set(keys[at], versions.next(keys[at]));
                return true;
            };
            channels.get(i).eventLoop().execute(() -> c.begin(source, Phase.untimed(), depth, outcomes, done));
        }
        if (!done.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(spec.name() + ": preload did not finish within " + timeoutMillis + " ms");
        }
        synchronized (outcomes) {
            return sum.errorCount() + " errors (first: " + firstError[0] + ")";
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
     * Runs the traffic for {@code millis} without judging it (the proxy's JIT compiles the request path meanwhile),
     * then waits for its replies; the connections stay open for {@link #start}.
     */
    public void warmUp(long millis) throws InterruptedException {
        LiveStats ignored = new LiveStats("warm-up", serverOfKey, versions, new FaultLog(), System.nanoTime(),
                TimeUnit.SECONDS.toNanos(1), (int) (millis / 1000 + 30), Long.MAX_VALUE);
        start(ignored, 3);
        Thread.sleep(millis);
        drain(30_000);
        stopping = false;
    }

    /** Stops issuing and waits for the replies in flight; what is unanswered after {@code drainMillis} is NO_REPLY. */
    private void drain(long drainMillis) throws InterruptedException {
        stopping = true;
        if (running != null && !running.await(drainMillis, TimeUnit.MILLISECONDS)) {
            for (int i = 0; i < connections.size(); i++) {
                Connection c = connections.get(i);
                channels.get(i).eventLoop().submit(c::abandon).await(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Stops issuing and waits for the replies in flight; requests still unanswered after {@code drainMillis} count as
     * NO_REPLY. Returns the reasons connections were lost (closed by the proxy), empty when none was.
     */
    public List<String> stop(long drainMillis) throws InterruptedException {
        drain(drainMillis);
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
