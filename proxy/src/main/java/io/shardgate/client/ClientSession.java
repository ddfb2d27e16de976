package io.shardgate.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.backend.PoolBackends;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.ClientRequest;
import io.shardgate.protocol.FiguresSource;
import io.shardgate.protocol.ProxyFigures;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.protocol.ReplyWaiter;
import io.shardgate.transport.FlushBatcher;
import io.shardgate.stats.PoolCounters;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, on one worker thread for its whole life. It hands each decoded request to the
 * protocol, keeps a FIFO of reply places so the client gets its replies in the order it asked whatever server
 * answers first, and holds the client back while it owes too many replies or the client's socket is not taking
 * them: requests already decoded wait here undispatched (one read can hold thousands), and reading stops until
 * they have gone. So what a slow reader can make the proxy hold is bounded by {@link #MAX_OWED_REPLIES} replies
 * and one read buffer, whatever it sends.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter implements ClientContext {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** Replies owed before further requests wait undispatched; plenty for any pipeline depth clients use. */
    static final int MAX_OWED_REPLIES = 512;
    /** Spare slots kept; enough for the pipeline depths clients use, small for idle connections. */
    private static final int MAX_SPARE_SLOTS = 32;

    private final ProxyProtocol<?> protocol;
    private final PoolBackends backends;
    private final FlushBatcher.Slot flush;
    private final FiguresSource figures;
    private final ArrayDeque<ReplySlot> owed = new ArrayDeque<>();
    /** Slots whose replies went out, for reuse: no allocation per request on the steady state. */
    private final ArrayDeque<ReplySlot> spareSlots = new ArrayDeque<>();
    /** Decoded requests not dispatched yet, in arrival order, while the client has no room. */
    private final ArrayDeque<ClientRequest> waiting = new ArrayDeque<>();
    private boolean pumping;
    private final int connectionPick;
    private final PoolCounters stats;
    /** Counted as a connection in the stats; closed by an error rather than by the client (client_err). */
    private boolean counted;
    private boolean failed;
    private Channel channel;
    private boolean closing;
    private boolean closed;
    private boolean readingPaused;

    public ClientSession(ProxyProtocol<?> protocol, PoolBackends backends, FlushBatcher flusher, FiguresSource figures,
            int connectionPick) {
        this.protocol = protocol;
        this.backends = backends;
        this.flush = flusher.slot(this::flushNow);
        this.figures = figures;
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
        ClientRequest request = (ClientRequest) msg; // the pipeline's decoder is the protocol's
        if (closing) { // after quit or a framing error nothing more is served
            request.release();
            return;
        }
        waiting.add(request);
        pump();
    }

    /** Dispatches waiting requests while the client has room. Not re-entered from replies it completes. */
    private void pump() {
        if (pumping) return;
        pumping = true;
        try {
            while (!closing && !waiting.isEmpty() && hasRoom()) protocol.serve(waiting.poll(), this);
        } finally {
            pumping = false;
        }
        updateReading();
    }

    private boolean hasRoom() {
        return owed.size() < MAX_OWED_REPLIES && channel.isWritable();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Requests read in this pass were queued on backend connections; the batcher flushes them together.
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        pump();
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        if (counted) stats.clientClosed(failed);
        releaseDoneReplies();
        while (!waiting.isEmpty()) waiting.poll().release();
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
        ReplySlot slot = spareSlots.pollLast();
        if (slot == null) slot = new ReplySlot(this);
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
        if (backends.health().isDown(serverIndex)) { // ejected, keys kept in place: fail fast
            request.release();
            if (waiter != null) waiter.onFailure(FailureReasons.SERVER_EJECTED);
            return;
        }
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

    @Override
    public String serverName(int serverIndex) {
        return backends.pool().servers().get(serverIndex).statsName();
    }

    @Override
    public String clientAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public void proxyFigures(java.util.function.Consumer<ProxyFigures> then) {
        figures.collect(channel.eventLoop(), then);
    }

    @Override
    public void countFragments(int n) {
        stats.fragments(n);
    }

    @Override
    public void countCommand(int id) {
        stats.command(id);
    }

    // ---- reply order ----

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
            if (spareSlots.size() < MAX_SPARE_SLOTS) spareSlots.addLast(head);
            wrote = true;
        }
        if (closing && owed.isEmpty()) {
            closed = true;
            channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (wrote) {
            flush.flushLater();
        }
        pump();
    }

    private void releaseDoneReplies() {
        ReplySlot head;
        while ((head = owed.peek()) != null && head.isDone()) {
            owed.poll();
            ReferenceCountUtil.release(head.take());
        }
    }

    /** Backpressure: stop reading while requests wait for room; resume once they have all gone. */
    private void updateReading() {
        if (closed || channel == null) return;
        boolean pause = !waiting.isEmpty() || closing;
        boolean resume = waiting.isEmpty() && !closing;
        if (pause && !readingPaused) {
            readingPaused = true;
            channel.config().setAutoRead(false);
        } else if (resume && readingPaused) {
            readingPaused = false;
            channel.config().setAutoRead(true);
        }
    }

    // ---- flush batching ----

    private void flushNow() {
        if (!closed) channel.flush();
    }
}
