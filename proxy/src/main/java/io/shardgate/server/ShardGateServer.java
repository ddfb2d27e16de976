package io.shardgate.server;

import io.shardgate.transport.Buffers;
import io.shardgate.transport.Transport;
import io.shardgate.config.ServerSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.shardgate.backend.PoolHealth;
import io.shardgate.client.ClientSession;
import io.shardgate.config.ConfigDigest;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.protocol.memcache.MemcacheProtocol;
import io.shardgate.protocol.redis.RedisLimits;
import io.shardgate.protocol.redis.RedisProtocol;
import io.shardgate.routing.PoolRouter;
import io.shardgate.stats.ConfigStatus;
import io.shardgate.stats.PoolFigures;
import io.shardgate.stats.ProcessInfo;
import io.shardgate.stats.ServerStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running proxy: its workers, listeners and backend connections. {@link #start} returns once every pool
 * listens; {@link #close} stops accepting, closes every connection and stops the workers.
 */
public final class ShardGateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardGateServer.class);

    private final Transport transport;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workerGroup;
    private final List<Worker> workers;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<PoolRuntime> pools;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Every client connection, so shutdown can close them while the workers still run their close events. */
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    /** The stats port, the admin listener and the aggregator behind them; null until started. */
    private ServerStats stats;

    private ShardGateServer(Transport transport, EventLoopGroup acceptors, EventLoopGroup workerGroup,
            List<Worker> workers, List<PoolRuntime> pools) {
        this.transport = transport;
        this.acceptors = acceptors;
        this.workerGroup = workerGroup;
        this.workers = workers;
        this.pools = pools;
    }

    /** Starts serving {@code config}. Throws if a listener cannot bind; nothing is left running then. */
    public static ShardGateServer start(ProxyConfig config, ServerSettings settings) throws InterruptedException {
        Transport.Choice choice = Transport.fromSystemProperty();
        Transport transport = choice.transport();
        EventLoopGroup acceptors = transport.newGroup(1, new DefaultThreadFactory("shardgate-accept", true));
        List<PoolRuntime> pools = new ArrayList<>();
        try {
            for (PoolConfig pool : config.pools()) {
                PoolRouter router = PoolRouter.forPool(pool);
                ProxyProtocol<?> protocol = protocolFor(pool, settings);
                // Ejection timers are rare events: they run on the acceptor thread, off the workers' hot path.
                PoolHealth health = new PoolHealth(pool, router, acceptors.next(), protocol.healthProbe());
                pools.add(new PoolRuntime(pools.size(), pool, protocol, router, health,
                        new ClientLimit(pool.clientConnections()), new PoolFigures(pools.size())));
            }
        } catch (RuntimeException e) {
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        EventLoopGroup workerGroup = transport.newGroup(settings.workers(), new DefaultThreadFactory("shardgate-worker", true));
        Map<EventExecutor, Worker> workerByLoop = new IdentityHashMap<>();
        List<Worker> workers = new ArrayList<>();
        for (EventExecutor executor : workerGroup) {
            Worker worker = new Worker((EventLoop) executor, pools, transport);
            workerByLoop.put(executor, worker);
            workers.add(worker);
        }
        ShardGateServer server = new ShardGateServer(transport, acceptors, workerGroup, workers, pools);
        try {
            for (PoolRuntime pool : pools) server.listen(pool, transport, workerByLoop, settings.mbufSize());
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        try {
            server.stats = ServerStats.start(settings,
                    pools.stream().map(p -> ServerStats.pool(p.config(), p.protocol(), p.health()::state)).toList(),
                    workers.stream().map(w -> ServerStats.worker(w.loop(), w::statsSample)).toList(),
                    server.listeners.size(), () -> server.closed.getCount() > 0,
                    new ProcessInfo(transport.name().toLowerCase(java.util.Locale.ROOT),
                            new ConfigStatus(config.source(), ConfigDigest.of(config))));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        for (PoolRuntime pool : pools) pool.figures().attach(server.stats.aggregator());
        for (PoolRuntime pool : pools) {
            if (pool.config().preconnect()) workers.forEach(w -> w.preconnect(pool.index()));
        }
        log.info("shardgate started: {} pool(s), {} worker(s), {} transport ({}), {} buffers",
                pools.size(), workers.size(), transport.label(), choice.why(), Buffers.name());
        return server;
    }

    private static ProxyProtocol<?> protocolFor(PoolConfig pool, ServerSettings settings) {
        if (pool.redis()) {
            return new RedisProtocol(pool, RedisLimits.fromSystemProperties());
        }
        return new MemcacheProtocol(pool, settings.maxValueBytes());
    }

    private void listen(PoolRuntime pool, Transport transport, Map<EventExecutor, Worker> workerByLoop, int mbufSize)
            throws InterruptedException {
        PoolConfig config = pool.config();
        ListenAddress listen = config.listen();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workerGroup)
                .option(ChannelOption.SO_BACKLOG, config.backlog())
                .handler(new AcceptFailures(config.name()))
                .childOption(ChannelOption.ALLOCATOR, Buffers.allocator())
                // nutcracker's -m sizes its read chunks; here it is where each connection's read buffer starts
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        64, mbufSize, Math.max(65_536, mbufSize)))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        clients.add(ch);
                        ProxyProtocol<?> protocol = pool.protocol();
                        if (!pool.clientLimit().admit(ch)) {
                            ch.writeAndFlush(protocol.failureReply(ch.alloc(), "Too many client connections"))
                                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                            return;
                        }
                        Worker worker = workerByLoop.get(ch.eventLoop());
                        ch.pipeline().addLast("decoder", protocol.newRequestDecoder());
                        ch.pipeline().addLast("session", new ClientSession(protocol,
                                worker.backends(pool.index()), worker.flusher(), pool.figures(), worker.nextClientPick()));
                    }
                });
        SocketAddress address;
        if (listen.isUnix()) {
            bootstrap.channelFactory(transport.domainServerChannelFactory());
            deleteStaleSocket(Path.of(listen.unixPath()));
            address = new DomainSocketAddress(listen.unixPath());
        } else {
            bootstrap.channelFactory(transport.serverChannelFactory())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true);
            address = new InetSocketAddress(listen.host(), listen.port());
        }
        Channel channel;
        try {
            channel = bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("pool '" + config.name() + "': cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        if (listen.isUnix() && listen.unixMode() >= 0) setMode(Path.of(listen.unixPath()), listen.unixMode());
        listeners.add(channel);
        log.info("pool '{}' listening on {} with {} server(s)", config.name(), listen, config.servers().size());
    }

    private static void deleteStaleSocket(Path path) {
        try {
            if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove stale socket " + path, e);
        }
    }

    private static void setMode(Path path, int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) perms.add(order[bit]);
        }
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set mode of " + path, e);
        }
    }

    /** The local address of each pool's listener, in config order (the real port when the config said port 0). */
    public List<SocketAddress> listenAddresses() {
        return listeners.stream().map(Channel::localAddress).toList();
    }

    /** The transport every event loop and connection of this server runs on. */
    public Transport transport() {
        return transport;
    }

    /** The stats: the stats port's and the admin listener's addresses, and the aggregator for tests. */
    public ServerStats stats() {
        return stats;
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) return;
        if (stats != null) stats.close();
        for (Channel listener : listeners) listener.close().awaitUninterruptibly();
        // Close connections while the workers still run, so every close event releases what it holds.
        clients.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        for (Worker worker : workers) worker.shutdownBackends("proxy shutting down").awaitUninterruptibly(2, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workerGroup.shutdownGracefully(50, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        for (PoolRuntime pool : pools) pool.health().close();
        for (PoolRuntime pool : pools) {
            ListenAddress listen = pool.config().listen();
            if (listen.isUnix()) {
                try {
                    Files.deleteIfExists(Path.of(listen.unixPath()));
                } catch (IOException ignored) {
                    // best effort: a stale socket is removed at the next start anyway
                }
            }
        }
        log.info("shardgate stopped");
        closed.countDown();
    }
}
