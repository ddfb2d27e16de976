package io.shardgate.bench.chaos;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on a loopback port in front of one backend, which injects faults into what the backend answers:
 * {@link Mode#SLOW} delays every reply chunk, {@link Mode#RESET} forwards half of the next reply chunk and then
 * resets the connection (RST), {@link Mode#GARBAGE} answers with bytes that are no reply at all. Requests always go
 * through unchanged. Chunks keep their order whatever the mode changes to.
 */
public final class FaultRelay implements AutoCloseable {
    public enum Mode { PASS, SLOW, RESET, GARBAGE }

    private static final List<byte[]> MEMCACHE_GARBAGE = ascii(
            "\u0000\u0001\u0002\u0003 not a reply\r\n", "VALUE\r\n", "VALUE k 0 -1\r\n",
            "VALUE k 0 99999999999999999\r\n", "\u00ff\u00fe\u00fd\u00fc\r\n", "STOR\u0000ED\r\n");
    private static final List<byte[]> REDIS_GARBAGE = ascii(
            "\u0000\u0001\u0002\u0003 not a reply\r\n", "$-5\r\n", "*abc\r\n", "$99999999999999999\r\n",
            "\u00ff\u00fe\u00fd\u00fc\r\n", "?\r\n");

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("fault-relay", true));
    private final int targetPort;
    private final List<byte[]> garbage;
    private final Channel listener;
    private volatile Mode mode = Mode.PASS;
    private volatile long delayNanos;

    private FaultRelay(int targetPort, BackendProcess.Kind kind) throws InterruptedException {
        this.targetPort = targetPort;
        this.garbage = kind == BackendProcess.Kind.REDIS ? REDIS_GARBAGE : MEMCACHE_GARBAGE;
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOCATOR, LoadGroup.CLIENT_BUFFERS)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Front());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** A relay to {@code 127.0.0.1:targetPort}, passing everything through until told otherwise. */
    public static FaultRelay start(int targetPort, BackendProcess.Kind kind) {
        try {
            return new FaultRelay(targetPort, kind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Slow mode, each reply chunk held for {@code delayMillis}. */
    public void slow(long delayMillis) {
        delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
        mode = Mode.SLOW;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** The side the proxy connects to. */
    private final class Front extends ChannelInboundHandlerAdapter {
        private Channel back;
        /** Reply chunks not written yet, each with when it is due, in order. */
        private final ArrayDeque<Object[]> due = new ArrayDeque<>();
        private boolean drainScheduled;
        private final SplittableRandom random = new SplittableRandom();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel front = ctx.channel();
            new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.ALLOCATOR, LoadGroup.CLIENT_BUFFERS)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext b, Object msg) {
                            fromBackend(ctx, (ByteBuf) msg);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext b) {
                            drainThenClose(ctx);
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext b, Throwable cause) {
                            b.close();
                        }
                    })
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort))
                    .addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            back = f.channel();
                            front.config().setAutoRead(true);
                        } else {
                            front.close(); // the backend is down: so is the relay's side
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (back == null || !back.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            back.writeAndFlush(msg, back.voidPromise());
        }

        private void fromBackend(ChannelHandlerContext ctx, ByteBuf chunk) {
            Mode m = mode;
            if (m == Mode.RESET && due.isEmpty()) {
                int half = chunk.readableBytes() / 2;
                if (half > 0) ctx.write(chunk.readRetainedSlice(half));
                chunk.release();
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // close with RST, not FIN
                ctx.flush();
                ctx.close();
                back.close();
                return;
            }
            if (m == Mode.GARBAGE) {
                chunk.release();
                byte[] junk = garbage.get(random.nextInt(garbage.size()));
                due.add(new Object[] {ctx.alloc().buffer(junk.length).writeBytes(junk), System.nanoTime()});
            } else {
                long delay = m == Mode.SLOW ? delayNanos : 0;
                due.add(new Object[] {chunk, System.nanoTime() + delay});
            }
            drain(ctx);
        }

        private void drain(ChannelHandlerContext ctx) {
            long now = System.nanoTime();
            boolean wrote = false;
            Object[] head;
            while ((head = due.peek()) != null && (long) head[1] - now <= 0) {
                due.poll();
                ctx.write(head[0]);
                wrote = true;
            }
            if (wrote) ctx.flush();
            if (head != null && !drainScheduled) {
                drainScheduled = true;
                ctx.executor().schedule(() -> {
                    drainScheduled = false;
                    drain(ctx);
                }, (long) head[1] - now, TimeUnit.NANOSECONDS);
            }
        }

        private void drainThenClose(ChannelHandlerContext ctx) {
            if (due.isEmpty()) {
                ctx.close();
            } else {
                ctx.executor().schedule(() -> drainThenClose(ctx), 5, TimeUnit.MILLISECONDS);
                drain(ctx);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Object[] head;
            while ((head = due.poll()) != null) ReferenceCountUtil.release(head[0]);
            if (back != null) back.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static List<byte[]> ascii(String... s) {
        return java.util.Arrays.stream(s).map(x -> x.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }
}
