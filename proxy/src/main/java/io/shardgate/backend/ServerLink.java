package io.shardgate.backend;

import io.shardgate.protocol.FailureReasons;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.ChannelProgressivePromise;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.shardgate.config.ServerConfig;
import io.shardgate.protocol.PendingReplies;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.protocol.ReplyWaiter;
import io.shardgate.transport.FlushBatcher;
import io.shardgate.transport.Transport;
import io.shardgate.stats.HeldQueue;
import io.shardgate.stats.RateLimitedLog;
import io.shardgate.stats.ServerCounters;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection from one worker to one backend server, shared by every client of that worker. Requests from
 * many clients are pipelined onto it and the replies, which the server sends in request order, are handed to
 * the waiters in the same FIFO order (twemproxy's server out-queue). A broken connection fails every waiter at
 * once, and so does a timed-out request: a pipelined stream can't be resynchronised, so the connection is
 * closed. The next request reconnects, after a backoff while the server keeps refusing.
 */
public final class ServerLink extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerLink.class);
    /** Connection events, at most one line per server and kind of event every 10 s (every worker has links). */
    private static final RateLimitedLog events = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

    /** Requests held while connecting; past this a new request fails at once instead of growing the queue. */
    static final int MAX_QUEUED_WHILE_CONNECTING = 16_384;
    /**
     * Requests awaiting a reply on one connection; past this a new request fails at once. Far more than clients
     * can owe (each holds back past its own bound), so it only stops a server that stopped answering from growing
     * the queue until the timeout, or forever when the pool has none.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 65_536;

    /** Where a link belongs and what it reports to. */
    public record Settings(int serverIndex, ServerConfig server, ProxyProtocol<?> protocol, EventLoop loop,
            Transport transport, FlushBatcher flusher, PoolHealth health, int connectTimeoutMillis, boolean keepalive,
            ServerCounters stats, int maxInFlight) {}

    private final Settings settings;
    private final ServerConfig server;
    private final InFlightQueue inFlight = new InFlightQueue();
    private final ServerCounters stats;
    /** Requests handed over while the connection opens, written once it is open. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private final LinkLifecycle life = new LinkLifecycle();
    private final FlushBatcher.Slot flush;
    private Channel channel;
    /** Large requests of the open connection still being written, and when the last of their bytes went out. */
    private int largeWrites;
    private long lastWriteProgressNanos;

    public ServerLink(Settings settings) {
        this.settings = settings;
        this.server = settings.server();
        this.stats = settings.stats();
        this.flush = settings.flusher().slot(this::flushNow);
    }

    /**
     * Sends a request, taking ownership of it. {@code waiter} is null for requests the server won't answer. The
     * request is counted in the stats here; its reply (size, latency from the write) or failure when it settles.
     */
    public void send(ByteBuf request, ReplyWaiter waiter) {
        stats.forwarded(request.readableBytes(), waiter != null);
        long now = System.nanoTime();
        switch (life.admit(now)) {
            case WRITE -> {
                if (waiter != null && inFlight.size() >= settings.maxInFlight()) {
                    failUnsent(request, waiter, FailureReasons.TOO_MANY_QUEUED);
                } else {
                    write(request, waiter, true, now);
                }
            }
            case HOLD -> hold(request, waiter);
            case CONNECT -> {
                hold(request, waiter);
                connect();
            }
            case FAIL -> failUnsent(request, waiter, life.failure());
        }
    }

    /**
     * Writes a request; {@code counted} when the stats counted it in {@link #send} (not for the proxy's own).
     * {@code sentAt} is when it was handed to this link: a request held while connecting ages from then, for its
     * timeout and its latency.
     */
    private void write(ByteBuf request, ReplyWaiter waiter, boolean counted, long sentAt) {
        long seq = waiter == null ? -1
                : inFlight.add(waiter, sentAt, counted ? request.readableBytes() : InFlightQueue.UNCOUNTED);
        if (request.readableBytes() >= LARGE_WRITE) {
            writeLarge(request, seq);
        } else {
            channel.write(request, channel.voidPromise());
        }
        flush.flushLater();
    }

    /**
     * A request this large takes a while to write (a 16 MiB value), and no reply can come before it is all
     * written: its timeout, and that of the requests written behind it, runs from when its last byte went out,
     * and while it is being written the connection times out only if no byte goes out for a whole timeout.
     */
    static final int LARGE_WRITE = 256 * 1024;

    private void writeLarge(ByteBuf request, long seq) {
        Channel ch = channel;
        largeWrites++;
        long started = System.nanoTime();
        int size = request.readableBytes();
        lastWriteProgressNanos = started;
        ChannelProgressivePromise promise = ch.newProgressivePromise();
        promise.addListener(new ChannelProgressiveFutureListener() {
            @Override
            public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
                if (ch == channel) lastWriteProgressNanos = System.nanoTime();
            }

            @Override
            public void operationComplete(ChannelProgressiveFuture future) {
                if (ch != channel) return; // the connection is gone, and its waiters with it
                largeWrites--;
                long now = System.nanoTime();
                lastWriteProgressNanos = now;
                if (seq >= 0 && future.isSuccess()) inFlight.notBefore(seq, now);
                log.debug("{} bytes written to {} in {} ms", size, server.address(),
                        TimeUnit.NANOSECONDS.toMillis(now - started));
            }
        });
        ch.write(request, promise);
    }

    private void hold(ByteBuf request, ReplyWaiter waiter) {
        if (held.size() >= MAX_QUEUED_WHILE_CONNECTING) {
            failUnsent(request, waiter, FailureReasons.TOO_MANY_QUEUED);
            return;
        }
        held.add(new Held(request, waiter, System.nanoTime())); // an object per request only while connecting
    }

    /** A request held while connecting; {@code waiter} null when no reply is expected. */
    private record Held(ByteBuf request, ReplyWaiter waiter, long since) {}

    /** A counted request that will never be written: settled in the stats, released, its waiter failed. */
    private void failUnsent(ByteBuf request, ReplyWaiter waiter, String reason) {
        if (waiter != null) stats.settle(request.readableBytes());
        request.release();
        if (waiter != null) waiter.onFailure(reason);
    }

    /** Opens the connection now (preconnect, or the first request). Does nothing if it is open or opening. */
    public void connect() {
        if (!life.startConnect()) return;
        Bootstrap bootstrap = new Bootstrap()
                .group(settings.loop())
                .channelFactory(settings.transport().socketChannelFactory())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, settings.keepalive())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // the framer frames the replies of this connection's requests only
                        PendingReplies pending = ahead -> ch == channel ? inFlight.framingHint(ahead) : null;
                        ch.pipeline().addLast("framer", settings.protocol().newReplyFramer(pending));
                        ch.pipeline().addLast("link", ServerLink.this);
                    }
                });
        // Unresolved, so the name is looked up again on every connect and a DNS change is followed.
        ChannelFuture future = bootstrap.connect(InetSocketAddress.createUnresolved(server.host(), server.port()));
        channel = future.channel();
        future.addListener(f -> {
            if (f.isSuccess()) {
                onConnected();
            } else {
                onConnectFailed(f.cause());
            }
        });
    }

    private void onConnected() {
        List<ProxyProtocol.Handshake> steps = settings.protocol().handshake(channel.alloc());
        if (!life.connected(!steps.isEmpty())) { // shut down while connecting
            steps.forEach(step -> step.request().release());
            channel.close();
            return;
        }
        largeWrites = 0;
        stats.connected();
        events.info(server.address(), "connected", "connected to server {}", server.address());
        for (int i = 0; i < steps.size(); i++) { // before any client request
            write(steps.get(i).request(), new HandshakeReply(steps.get(i), i == steps.size() - 1), false, System.nanoTime());
        }
        Held h;
        while ((h = held.poll()) != null) write(h.request(), h.waiter(), true, h.since());
    }

    /** Checks a handshake reply; a wrong one closes the connection, failing what was sent after it. */
    private final class HandshakeReply implements ReplyWaiter {
        private final ProxyProtocol.Handshake step;
        private final boolean last;

        HandshakeReply(ProxyProtocol.Handshake step, boolean last) {
            this.step = step;
            this.last = last;
        }

        @Override
        public void onReply(ByteBuf frame) {
            String problem;
            try {
                problem = step.check().apply(frame);
            } finally {
                frame.release();
            }
            if (problem != null) {
                log.warn("{}: {}; closing the connection", server.address(), problem);
                // a refused AUTH or SELECT is not cured by reconnecting at once: requests fail with it meanwhile
                life.handshakeRefused(problem);
                if (channel != null) channel.close();
            } else if (last) {
                life.handshakeAccepted();
            }
        }

        @Override
        public void onFailure(String reason) {
            // the connection is gone; the requests queued after this one fail with it
        }
    }

    private void onConnectFailed(Throwable cause) {
        boolean shutDown = life.isShutDown();
        String reason = life.connectFailed(FailureReasons.of(cause), System.nanoTime());
        if (!shutDown) {
            stats.connectFailed(reason);
            events.warn(server.address(), "connect failed", "connect to server {} failed: {}", server.address(), reason);
        }
        channel = null;
        failHeld(reason);
        if (!shutDown) countFailure(reason);
    }

    private void failHeld(String reason) {
        Held h;
        while ((h = held.poll()) != null) failUnsent(h.request(), h.waiter(), reason);
    }

    /**
     * Fails the connection if its oldest request has waited longer than {@code timeoutNanos}: that request's
     * client gets a timeout error, and so does every other request on the connection, which is closed.
     */
    public void checkTimeout(long nowNanos, long timeoutNanos) {
        if (life.state() != LinkState.READY || inFlight.isEmpty()) return;
        if (largeWrites > 0) { // still sending: only a stalled write is a timeout
            if (nowNanos - lastWriteProgressNanos < timeoutNanos) return;
            log.debug("write to {} stalled for {} ms; closing the connection", server.address(),
                    TimeUnit.NANOSECONDS.toMillis(nowNanos - lastWriteProgressNanos));
        } else {
            if (nowNanos - inFlight.oldestSentAt() < timeoutNanos) return;
            log.debug("request to {} timed out after {} ms; closing the connection", server.address(),
                    TimeUnit.NANOSECONDS.toMillis(nowNanos - inFlight.oldestSentAt()));
        }
        closeWith(FailureReasons.TIMED_OUT);
    }

    // ---- the backend channel's events ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (life.dropsReads()) { // closing: what is still read is not trusted; the waiters fail with the reason
            ReferenceCountUtil.release(msg);
            return;
        }
        int requestBytes = inFlight.isEmpty() ? InFlightQueue.UNCOUNTED : inFlight.oldestBytes();
        long sentAt = inFlight.isEmpty() ? 0 : inFlight.oldestSentAt();
        ReplyWaiter waiter = inFlight.poll();
        if (waiter == null) {
            // A reply nobody asked for: the stream is out of step and can't be trusted any more.
            ReferenceCountUtil.release(msg);
            log.warn("unexpected reply from {}; closing the connection", server.address());
            closeWith("Unexpected reply from server");
            return;
        }
        settings.health().success(settings.serverIndex());
        ByteBuf reply = (ByteBuf) msg;
        if (requestBytes != InFlightQueue.UNCOUNTED) {
            stats.replied(requestBytes, reply.readableBytes(), System.nanoTime() - sentAt);
        }
        waiter.onReply(reply);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String reason = FailureReasons.of(cause);
        log.debug("connection to {} failed: {}", server.address(), reason);
        closeWith(reason);
    }

    private void closeWith(String reason) {
        life.closing(reason);
        if (channel != null) channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel() != channel) return; // a late event of an older connection
        boolean shutDown = life.isShutDown();
        String reason = life.disconnected(System.nanoTime());
        if (reason == null) return; // not connected: a failed connect, handled there
        if (!shutDown) {
            events.info(server.address(), "closed", "connection to server {} closed: {}", server.address(), reason);
            stats.closed(reason);
        }
        channel = null;
        while (!inFlight.isEmpty()) {
            int requestBytes = inFlight.oldestBytes();
            ReplyWaiter waiter = inFlight.poll();
            if (requestBytes != InFlightQueue.UNCOUNTED) stats.settle(requestBytes);
            waiter.onFailure(reason);
        }
        if (!shutDown) countFailure(reason);
    }

    /** One failure toward ejection; when it ejects the server, this worker's stats count the ejection. */
    private void countFailure(String reason) {
        if (settings.health().failure(settings.serverIndex(), reason)) stats.ejected();
    }

    /** Closes the connection for good (proxy shutdown); requests still waiting fail with {@code reason}. */
    public void shutdown(String reason) {
        life.shutdown(reason);
        if (channel != null) channel.close();
        failHeld(reason);
    }

    /** Stats: adds the requests held while the connection opens (in_queue). On the worker's thread. */
    public void countHeld(HeldQueue into) {
        for (Held h : held) into.add(h.request().readableBytes(), h.waiter() != null);
    }

    /** Where the link is in its life; for tests. */
    LinkState state() {
        return life.state();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    public ServerConfig server() {
        return server;
    }

    // ---- flush batching ----

    private void flushNow() {
        if (channel != null && !life.dropsReads()) channel.flush();
    }

    @Override
    public boolean isSharable() {
        return true; // reused across reconnects, one connection at a time
    }
}
