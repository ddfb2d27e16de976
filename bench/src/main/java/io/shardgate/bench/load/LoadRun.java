package io.shardgate.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** One load generator run: connect, optionally preload every key, then a warm-up and a measured window. */
public final class LoadRun {
    /** In-flight depth used to preload, whatever the run's pipeline depth. */
    static final int PRELOAD_DEPTH = 16;

    /** A server or proxy to load; with several, connection i goes to target i modulo their count. */
    public record Target(String host, int port) {
        /** {@code HOST:PORT}. */
        public static Target parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("--target must be HOST:PORT, got " + text);
            try {
                return new Target(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--target must be HOST:PORT, got " + text);
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public record Settings(
            List<Target> targets,
            int connections,
            int pipeline,
            double durationSeconds,
            double warmupSeconds,
            double getRatio,
            int keysPerGet,
            int valueSize,
            int keySpace,
            String keyPrefix,
            boolean preload,
            boolean preloadOnly,
            boolean allowMisses,
            int idleConnections,
            int threads,
            int valueVersion,
            long seed,
            List<Long> watchPids,
            int clockTicksPerSecond,
            double drainSeconds,
            double connectTimeoutSeconds,
            double preloadTimeoutSeconds) {

        public void validate() {
            require(!targets.isEmpty(), "--target is required");
            for (Target t : targets) require(t.port() > 0 && t.port() < 65536, "port must be in 1..65535");
            require(connections >= 1, "--connections must be at least 1");
            require(pipeline >= 1 && pipeline <= 4096, "--pipeline must be in 1..4096");
            require(durationSeconds > 0 || preloadOnly, "--duration must be positive");
            require(warmupSeconds >= 0, "--warmup must not be negative");
            require(getRatio >= 0 && getRatio <= 1, "--get-ratio must be in [0, 1]");
            require(keysPerGet >= 1 && keysPerGet <= 10_000, "--keys-per-get must be in 1..10000");
            require(keySpace >= keysPerGet, "--key-space must be at least --keys-per-get");
            require(valueSize >= 1, "--value-size must be positive");
            require(idleConnections >= 0, "--idle-connections must not be negative");
            require(threads >= 1, "--threads must be at least 1");
        }

        private static void require(boolean ok, String message) {
            if (!ok) throw new IllegalArgumentException(message);
        }
    }

    public record Result(
            Settings settings,
            String transport,
            long preloadRequests,
            double preloadSeconds,
            long preloadErrors,
            Tally measured,
            double windowSeconds,
            int idleOpenAtEnd,
            int idleClosedByServer,
            int connectionsLost,
            List<String> problems,
            List<Double> serverCpuSeconds,
            double clientCpuSeconds) {

        public long errors() {
            return measured == null ? 0 : measured.errorCount();
        }

        /** Verification failures, lost connections: anything that makes the numbers untrustworthy. */
        public boolean failed() {
            return errors() > 0 || preloadErrors > 0 || connectionsLost > 0;
        }

        public double opsPerSecond() {
            return measured == null || windowSeconds <= 0 ? 0 : measured.ok / windowSeconds;
        }

        public double keysPerSecond() {
            return measured == null || windowSeconds <= 0 ? 0 : measured.keys / windowSeconds;
        }
    }

    /** A server that cannot be reached, or a run that could not be set up. */
    public static final class SetupException extends Exception {
        public SetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Settings s;

    public LoadRun(Settings settings) {
        settings.validate();
        this.s = settings;
    }

    public Result run() throws SetupException, InterruptedException {
        KeySpace keys = new KeySpace(s.keyPrefix(), s.keySpace());
        ValueSpec values = new ValueSpec(s.valueSize(), s.valueVersion());
        WireProtocol protocol = new MemcacheProtocol(keys, values, s.allowMisses());
        boolean epoll = Epoll.isAvailable();
        // the generator stays on epoll whatever transport the proxy under test runs, so only the proxy changes
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(s.threads(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<Connection> active = new ArrayList<>();
        List<Channel> activeChannels = new ArrayList<>();
        List<IdleConnection> idle = new ArrayList<>();
        List<Channel> idleChannels = new ArrayList<>();
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT) // as under Netty 4.1
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) (s.connectTimeoutSeconds() * 1000));
            int capacity = Math.max(s.pipeline(), PRELOAD_DEPTH);
            for (int i = 0; i < s.connections(); i++) {
                Connection c = new Connection(protocol, capacity, s.keysPerGet());
                activeChannels.add(connect(bootstrap, target(i), () -> c, "load connection " + (i + 1)));
                active.add(c);
            }
            // idle connections are opened only for a measured run
            if (!s.preloadOnly()) {
                for (int i = 0; i < s.idleConnections(); i++) {
                    IdleConnection c = new IdleConnection();
                    idleChannels.add(connect(bootstrap, target(i), () -> c, "idle connection " + (i + 1)));
                    idle.add(c);
                }
            }

            long preloadRequests = 0;
            double preloadSeconds = 0;
            long preloadErrors = 0;
            if (s.preload() || s.preloadOnly()) {
                AtomicInteger nextKey = new AtomicInteger();
                List<Tally> tallies = new ArrayList<>();
                CountDownLatch done = new CountDownLatch(active.size());
                long start = System.nanoTime();
                Phase phase = Phase.untimed();
                for (int i = 0; i < active.size(); i++) {
                    Connection c = active.get(i);
                    Tally t = new Tally(false);
                    tallies.add(t);
                    RequestSource source = RequestSource.preload(nextKey, s.keySpace());
                    activeChannels.get(i).eventLoop().execute(() -> c.begin(source, phase, PRELOAD_DEPTH, t, done));
                }
                if (!done.await((long) (s.preloadTimeoutSeconds() * 1000), TimeUnit.MILLISECONDS)) {
                    abandonAll(active, activeChannels);
                    done.await(5, TimeUnit.SECONDS);
                }
                preloadSeconds = (System.nanoTime() - start) / 1e9;
                Tally sum = new Tally(false);
                for (Tally t : tallies) sum.add(t);
                preloadRequests = sum.ok;
                preloadErrors = sum.errorCount();
            }

            Tally measured = null;
            double window = 0;
            List<Double> serverCpu = new ArrayList<>();
            double clientCpu = 0;
            if (!s.preloadOnly()) {
                List<Tally> tallies = new ArrayList<>();
                CountDownLatch done = new CountDownLatch(active.size());
                long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
                Phase phase = Phase.timed(start, seconds(s.warmupSeconds()), seconds(s.durationSeconds()));
                for (int i = 0; i < active.size(); i++) {
                    Connection c = active.get(i);
                    Tally t = new Tally(true);
                    tallies.add(t);
                    RequestSource source = RequestSource.random(phase, s.seed() * 1_000_003L + i, s.getRatio(),
                            s.keysPerGet(), s.keySpace());
                    activeChannels.get(i).eventLoop().execute(() -> c.begin(source, phase, s.pipeline(), t, done));
                }
                sleepUntil(phase.measureStart());
                long[] cpuBefore = serverTicks();
                long clientBefore = clientCpuNanos();
                sleepUntil(phase.measureEnd());
                long[] cpuAfter = serverTicks();
                long clientAfter = clientCpuNanos();
                window = (phase.measureEnd() - phase.measureStart()) / 1e9;
                for (int i = 0; i < cpuBefore.length; i++) {
                    serverCpu.add(cpuBefore[i] < 0 || cpuAfter[i] < 0 ? -1.0
                            : (cpuAfter[i] - cpuBefore[i]) / (double) s.clockTicksPerSecond());
                }
                clientCpu = clientBefore < 0 || clientAfter < 0 ? -1 : (clientAfter - clientBefore) / 1e9;
                if (!done.await((long) (s.drainSeconds() * 1000), TimeUnit.MILLISECONDS)) {
                    abandonAll(active, activeChannels);
                    done.await(5, TimeUnit.SECONDS);
                }
                measured = new Tally(true);
                for (Tally t : tallies) measured.add(t);
            }

            int idleOpen = 0;
            int idleClosed = 0;
            Set<String> problems = new LinkedHashSet<>();
            for (IdleConnection c : idle) {
                if (c.isOpen()) idleOpen++;
                if (c.closedByServer()) idleClosed++;
                if (c.receivedBytes()) problems.add("an idle connection received bytes it never asked for");
            }
            int lost = 0;
            for (Connection c : active) {
                if (c.closeReason() != null) {
                    lost++;
                    problems.add(c.closeReason());
                }
            }
            closeAll(active, activeChannels, idle, idleChannels);
            return new Result(s, epoll ? "epoll" : "nio", preloadRequests, preloadSeconds, preloadErrors, measured,
                    window, idleOpen, idleClosed, lost, List.copyOf(problems), serverCpu, clientCpu);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    private Target target(int connection) {
        return s.targets().get(connection % s.targets().size());
    }

    private Channel connect(Bootstrap bootstrap, Target target, Supplier<ChannelHandler> handler, String what)
            throws SetupException, InterruptedException {
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(handler.get());
            }
        }).connect(target.host(), target.port());
        if (!f.await((long) (s.connectTimeoutSeconds() * 1000) + 1000)) {
            f.cancel(false);
            throw new SetupException(what + " to " + target + " timed out", null);
        }
        if (!f.isSuccess()) {
            throw new SetupException(what + " to " + target + " failed: " + f.cause(), f.cause());
        }
        return f.channel();
    }

    private static void abandonAll(List<Connection> active, List<Channel> channels) throws InterruptedException {
        for (int i = 0; i < active.size(); i++) {
            Connection c = active.get(i);
            try {
                channels.get(i).eventLoop().submit(c::abandon).await(5, TimeUnit.SECONDS);
            } catch (RuntimeException e) {
                // the loop is shutting down: the connection is gone anyway
            }
        }
    }

    private static void closeAll(List<Connection> active, List<Channel> activeChannels, List<IdleConnection> idle,
            List<Channel> idleChannels) throws InterruptedException {
        for (int i = 0; i < active.size(); i++) {
            Connection c = active.get(i);
            activeChannels.get(i).eventLoop().execute(c::close);
        }
        for (IdleConnection c : idle) c.closing();
        for (Channel ch : idleChannels) ch.close();
        for (Channel ch : activeChannels) ch.closeFuture().await(2, TimeUnit.SECONDS);
        for (Channel ch : idleChannels) ch.closeFuture().await(2, TimeUnit.SECONDS);
    }

    private long[] serverTicks() {
        long[] ticks = new long[s.watchPids().size()];
        for (int i = 0; i < ticks.length; i++) ticks[i] = ProcStat.cpuTicks(s.watchPids().get(i));
        return ticks;
    }

    private static long clientCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    private static long seconds(double s) {
        return (long) (s * 1e9);
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        }
    }
}
