package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.CountDownLatch;

/**
 * One load connection: keeps up to {@code depth} requests in flight (closed loop: each verified reply lets the next
 * request go), parses and verifies replies as they arrive, and reports each outcome to the phase's {@link Outcomes}
 * (a {@link Tally} for a benchmark). All state is
 * touched by the channel's event loop only; a phase is started and ended through tasks on that loop.
 */
public final class Connection extends ChannelInboundHandlerAdapter implements ReplyParser.Listener {
    private final WireProtocol protocol;
    private final ReplyParser parser;
    private final Request[] ring;
    private final byte[] scratch = new byte[16];

    private ChannelHandlerContext ctx;
    private ByteBuf out;
    private ByteBuf cumulation;
    private int head;
    private int count;

    // the current phase
    private int depth;
    /** At most one request per this many nanoseconds (on average), 0 for as fast as replies come. */
    private long pacingNanos;
    private long nextSendAt;
    private boolean fillScheduled;
    private RequestSource source;
    private Phase phase;
    private Outcomes outcomes;
    private CountDownLatch done;
    private boolean exhausted;

    private volatile String closeReason;
    private volatile boolean open;
    private volatile boolean closing;

    public Connection(WireProtocol protocol, int capacity, int maxKeysPerRequest) {
        this.protocol = protocol;
        this.parser = protocol.newParser(this);
        this.ring = new Request[capacity];
        for (int i = 0; i < capacity; i++) ring[i] = new Request(maxKeysPerRequest);
    }

    /** Runs on the event loop: closes the connection at the end of the run (not counted as lost). */
    public void close() {
        closing = true;
        if (ctx != null) ctx.close();
    }

    public boolean isOpen() {
        return open;
    }

    /** Why the connection closed before it was asked to, or null. */
    public String closeReason() {
        return closeReason;
    }

    /** Runs on the event loop: starts a phase, filling the pipeline. {@code done} counts down once when it ends. */
    public void begin(RequestSource source, Phase phase, int depth, Outcomes outcomes, CountDownLatch done) {
        begin(source, phase, depth, 0, outcomes, done);
    }

    /**
     * As {@link #begin(RequestSource, Phase, int, Outcomes, CountDownLatch)}, issuing at most one request per
     * {@code pacingNanos} (a steady offered load instead of saturation; 0 for none). A paced connection that falls
     * behind does not burst to catch up.
     */
    public void begin(RequestSource source, Phase phase, int depth, long pacingNanos, Outcomes outcomes,
            CountDownLatch done) {
        if (depth > ring.length) throw new IllegalArgumentException("depth " + depth + " > capacity " + ring.length);
        this.pacingNanos = pacingNanos;
        this.nextSendAt = System.nanoTime();
        this.source = source;
        this.phase = phase;
        this.depth = depth;
        this.outcomes = outcomes;
        this.done = done;
        this.exhausted = false;
        if (!open) {
            finish();
            return;
        }
        fill();
        flush();
        if (count == 0) finish();
    }

    /** Runs on the event loop: gives up on replies still outstanding (counted NO_REPLY) and ends the phase. */
    public void abandon() {
        if (phase != null) phase.abort();
        if (count > 0 && closeReason == null) closeReason = "no reply to " + count + " requests by the end of the drain time";
        exhausted = true;
        failOutstanding(ErrorKind.NO_REPLY);
        finish();
        if (open) ctx.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        open = true;
        super.channelActive(ctx);
    }

    @Override
    public Request current() {
        return count == 0 ? null : ring[head];
    }

    @Override
    public void completed(Request r) {
        long now = System.nanoTime();
        if (r.error != null) outcomes.failed(r, r.error, now);
        else if (phase.measuring(now)) outcomes.verified(r, now);
        head = head + 1 == ring.length ? 0 : head + 1;
        count--;
        fill();
        if (count == 0) finish();
    }

    private void fill() {
        while (!exhausted && count < depth) {
            if (pacingNanos > 0) {
                long now = System.nanoTime();
                if (now - nextSendAt < 0) {
                    scheduleFill(nextSendAt - now);
                    break;
                }
                nextSendAt = Math.max(nextSendAt + pacingNanos, now - pacingNanos);
            }
            int tail = head + count;
            if (tail >= ring.length) tail -= ring.length;
            Request slot = ring[tail];
            if (!source.next(slot)) {
                exhausted = true;
                break;
            }
            if (out == null) out = ctx.alloc().directBuffer(Math.max(4096, protocol.encodedSizeHint(slot)));
            slot.sentNanos = System.nanoTime();
            protocol.encode(slot, out, scratch);
            count++;
        }
    }

    private void scheduleFill(long delayNanos) {
        if (fillScheduled) return;
        fillScheduled = true;
        ctx.executor().schedule(() -> {
            fillScheduled = false;
            if (!open || phase == null) return;
            fill();
            flush();
            if (count == 0) finish();
        }, delayNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void flush() {
        if (out != null) {
            ByteBuf pending = out;
            out = null;
            ctx.writeAndFlush(pending, ctx.voidPromise());
        }
    }

    private void finish() {
        if (count == 0 && exhausted || !open) {
            CountDownLatch latch = done;
            done = null;
            if (latch != null) latch.countDown();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        ByteBuf data;
        if (cumulation == null) {
            data = in;
        } else {
            cumulation.writeBytes(in);
            in.release();
            data = cumulation;
        }
        if (outcomes == null) { // bytes with no phase begun: nothing was asked
            data.release();
            cumulation = null;
            protocolFailure("reply before any request");
            return;
        }
        boolean ok = parser.parse(data);
        if (!ok) {
            data.release();
            cumulation = null;
            protocolFailure(parser.failure());
            return;
        }
        if (!data.isReadable()) {
            data.release();
            cumulation = null;
        } else if (data == in) {
            cumulation = ctx.alloc().directBuffer(Math.max(1024, in.readableBytes() * 2));
            cumulation.writeBytes(in);
            in.release();
        } else {
            cumulation.discardSomeReadBytes();
        }
    }

    private void protocolFailure(String why) {
        if (closeReason == null) closeReason = "unparseable reply: " + why;
        Request r = current();
        if (r != null) {
            r.fail(ErrorKind.PROTOCOL);
            outcomes.failed(r, ErrorKind.PROTOCOL, System.nanoTime());
            head = head + 1 == ring.length ? 0 : head + 1;
            count--;
        }
        exhausted = true;
        failOutstanding(ErrorKind.NO_REPLY);
        ctx.close();
    }

    private void failOutstanding(ErrorKind kind) {
        long now = System.nanoTime();
        while (count > 0) {
            if (outcomes != null) outcomes.failed(ring[head], kind, now);
            head = head + 1 == ring.length ? 0 : head + 1;
            count--;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open = false;
        if (!closing && closeReason == null) closeReason = "closed by the server with " + count + " requests in flight";
        exhausted = true;
        failOutstanding(ErrorKind.NO_REPLY);
        if (out != null) {
            out.release();
            out = null;
        }
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        finish();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) closeReason = cause.toString();
        ctx.close();
    }
}
