package io.shardgate.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.ReplyWaiter;
import java.util.ArrayList;
import java.util.List;

/**
 * A client connection with one server and no network, for the request decoder targets: every key routes to
 * server 0, and what the protocol does is recorded in order as {@link Event}s, each with how many input bytes had
 * been fed when it happened. Requests sent stay unanswered until {@link #failPending}.
 */
final class RecordingClient implements ClientContext {
    enum Kind { SEND, REPLY, FAILURE, CLOSE }

    /** {@code bytes}: what was sent or replied; {@code at}: input bytes fed when it happened. */
    record Event(Kind kind, byte[] bytes, String text, int at) {
        /** The same event, wherever it happened: for comparing feedings. */
        boolean sameAs(Event o) {
            return kind == o.kind && java.util.Arrays.equals(bytes, o.bytes) && java.util.Objects.equals(text, o.text);
        }

        /** The event without its position, for messages. */
        String describe() {
            return kind + (bytes != null ? " " + Feeds.show(bytes) : "") + (text != null ? " " + text : "");
        }
    }

    final List<Event> events = new ArrayList<>();
    private final List<ReplyWaiter> pending = new ArrayList<>();
    /** Input bytes fed so far, set by the feeder. */
    int fed;

    @Override
    public ReplyWaiter nextReply() {
        return new ReplyWaiter() {
            @Override
            public void onReply(ByteBuf frame) {
                try {
                    events.add(new Event(Kind.REPLY, ByteBufUtil.getBytes(frame), null, fed));
                } finally {
                    frame.release();
                }
            }

            @Override
            public void onFailure(String reason) {
                events.add(new Event(Kind.FAILURE, null, reason, fed));
            }
        };
    }

    @Override
    public int route(ByteBuf buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.capacity()) {
            throw new AssertionError("key outside its frame: " + offset + "+" + length + " of " + buf.capacity());
        }
        return 0;
    }

    @Override
    public int route(byte[] key, int offset, int length) {
        return 0;
    }

    @Override
    public void send(int serverIndex, ByteBuf request, ReplyWaiter waiter) {
        try {
            events.add(new Event(Kind.SEND, ByteBufUtil.getBytes(request), null, fed));
        } finally {
            request.release();
        }
        if (waiter != null) pending.add(waiter);
    }

    /** Fails every request still waiting for its server, as a closing connection does. */
    void failPending() {
        for (ReplyWaiter waiter : pending) waiter.onFailure("connection closed");
        pending.clear();
    }

    @Override
    public void closeAfterReplies() {
        events.add(new Event(Kind.CLOSE, null, "after replies", fed));
    }

    @Override
    public void closeOnProtocolError(String reason) {
        events.add(new Event(Kind.CLOSE, null, "protocol error: " + reason, fed));
    }

    @Override
    public ByteBufAllocator alloc() {
        return LiveBuffers.ALLOC;
    }

    @Override
    public int serverCount() {
        return 1;
    }

    @Override
    public String serverName(int serverIndex) {
        return "server-" + serverIndex;
    }

    @Override
    public String clientAddress() {
        return "fuzz-client";
    }

    @Override
    public void proxyFigures(java.util.function.Consumer<io.shardgate.protocol.ProxyFigures> then) {
        then.accept(null); // stats answers "not available" here
    }
}
