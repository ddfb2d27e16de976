package io.shardgate.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.shardgate.backend.PoolBackends;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.protocol.ReplyWaiter;
import io.shardgate.server.FlushBatcher;
import io.shardgate.stats.PoolCounters;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, on one worker thread for its whole life. It hands each decoded request to the
 * protocol, keeps a FIFO of reply places so the client gets its replies in the order it asked whatever server
 * answers first, and holds the client back (stops reading) while too many replies are owed or its socket is not
 * taking them.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter implements ClientContext, FlushBatcher.Target {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** Replies owed before the client is no longer read from; reading resumes at half of it. */
    static final int MAX_OWED_REPLIES = 2048;

    private final ProxyProtocol protocol;
    private final PoolBackends backends;
    private final FlushBatcher flusher;
    private final ArrayDeque<ReplySlot> owed = new ArrayDeque<>();
    private final int connectionPick;
    private final PoolCounters stats;
    /** Counted as a connection in the stats; closed by an error rather than by the client (client_err). */
    private boolean counted;
    private boolean failed;
    private Channel channel;
    private boolean flushQueued;
    private boolean closing;
    private boolean closed;
    private boolean readingPaused;

    public ClientSession(ProxyProtocol protocol, PoolBackends backends, FlushBatcher flusher, int connectionPick) {
        this.protocol = protocol;
        this.backends = backends;
        this.flusher = flusher;
        this.connectionPick = connectionPick;
        this.stats = backends.counters();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        counted = true;
        stats.clientConnected();
        super.channelActive(ctx);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) { // after quit or a framing error nothing more is served
            protocol.discard(msg);
            return;
        }
        protocol.dispatch(msg, this);
        updateReading();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Requests read in this pass were queued on backend connections; the batcher flushes them together.
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        updateReading();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        if (counted) stats.clientClosed(failed);
        releaseDoneReplies();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        failed = true;
        ctx.close();
    }

    // ---- ClientContext ----

    @Override
    public ReplyWaiter nextReply() {
        ReplySlot slot = new ReplySlot(this);
        owed.add(slot);
        return slot;
    }

    @Override
    public int route(ByteBuf buf, int offset, int length) {
        return backends.router().serverFor(buf, offset, length);
    }

    @Override
    public int route(byte[] key, int offset, int length) {
        return backends.router().serverFor(key, offset, length);
    }

    @Override
    public void send(int serverIndex, ByteBuf request, ReplyWaiter waiter) {
        waiter = stats.server(serverIndex).forward(request, waiter);
        backends.link(serverIndex, connectionPick).send(request, waiter);
    }

    @Override
    public void closeAfterReplies() {
        closing = true;
        drain();
    }

    @Override
    public void closeOnProtocolError(String reason) {
        log.debug("closing client {}: {}", channel.remoteAddress(), reason);
        failed = true;
        closeAfterReplies();
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public int serverCount() {
        return backends.serverCount();
    }

    // ---- reply order ----

    @Override
    public void countFragments(int n) {
        stats.fragments(n);
    }

    @Override
    public void countCommand(int id) {
        stats.command(id);
    }

    /** The error reply for a request that could not be forwarded or answered (counted as forward_error). */
    ByteBuf failureReply(String reason) {
        stats.forwardError();
        return protocol.failureReply(alloc(), reason);
    }

    /** Writes every reply that is ready, in order, stopping at the first place still waiting. */
    void drain() {
        if (closed) {
            releaseDoneReplies();
            return;
        }
        boolean wrote = false;
        ReplySlot head;
        while ((head = owed.peek()) != null && head.isDone()) {
            owed.poll();
            channel.write(head.take(), channel.voidPromise());
            wrote = true;
        }
        if (closing && owed.isEmpty()) {
            closed = true;
            channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (wrote) {
            flusher.flushLater(this);
        }
        updateReading();
    }

    private void releaseDoneReplies() {
        ReplySlot head;
        while ((head = owed.peek()) != null && head.isDone()) {
            owed.poll();
            ReferenceCountUtil.release(head.take());
        }
    }

    /** Backpressure: stop reading a client that owes too much or whose socket is full; resume when it drains. */
    private void updateReading() {
        if (closed || channel == null) return;
        boolean pause = owed.size() >= MAX_OWED_REPLIES || !channel.isWritable() || closing;
        boolean resume = owed.size() <= MAX_OWED_REPLIES / 2 && channel.isWritable() && !closing;
        if (pause && !readingPaused) {
            readingPaused = true;
            channel.config().setAutoRead(false);
        } else if (resume && readingPaused) {
            readingPaused = false;
            channel.config().setAutoRead(true);
        }
    }

    // ---- flush batching ----

    @Override
    public boolean flushQueued() {
        return flushQueued;
    }

    @Override
    public void flushQueued(boolean queued) {
        flushQueued = queued;
    }

    @Override
    public void flushNow() {
        if (!closed) channel.flush();
    }
}
