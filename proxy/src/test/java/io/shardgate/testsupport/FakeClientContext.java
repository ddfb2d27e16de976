package io.shardgate.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.ReplyWaiter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A client context for protocol dispatch tests, with no network: keys are routed by a function of their text,
 * what is sent to a server is recorded with its waiter (answer it with {@link #answer}), and what reaches the
 * client is recorded with its shape (one buffer or a composite).
 */
public final class FakeClientContext implements ClientContext {
    public record Sent(int server, String request, ReplyWaiter waiter) {}

    /** What reached the client: its text, and whether it was a composite, its capacity and its component count. */
    public record Reply(String text, boolean composite, int capacity, int components) {}

    /** Every key routed, in order. */
    public final List<String> routed = new ArrayList<>();
    public final List<Sent> sent = new ArrayList<>();
    public final List<Reply> replies = new ArrayList<>();
    public final List<Integer> counted = new ArrayList<>();
    /** The fragment count of each split request, in order. */
    public final List<Integer> fragments = new ArrayList<>();
    public boolean closing;
    private final int serverCount;
    private final ToIntFunction<String> router;
    private final Function<ByteBuf, String> text;

    /** {@code router} gives a key's server (-1: none live); {@code text} renders requests and replies. */
    public FakeClientContext(int serverCount, ToIntFunction<String> router, Function<ByteBuf, String> text) {
        this.serverCount = serverCount;
        this.router = router;
        this.text = text;
    }

    /** A pooled direct buffer holding {@code s} (ISO-8859-1). */
    public static ByteBuf buf(String s) {
        return PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Answers the {@code i}-th request sent with {@code reply}. */
    public void answer(int i, String reply) {
        sent.get(i).waiter().onReply(buf(reply));
    }

    /** The text of every reply, in order. */
    public List<String> texts() {
        return replies.stream().map(Reply::text).toList();
    }

    @Override
    public void countCommand(int id) {
        counted.add(id);
    }

    @Override
    public void countFragments(int n) {
        fragments.add(n);
    }

    @Override
    public ReplyWaiter nextReply() {
        return new ReplyWaiter() {
            @Override
            public void onReply(ByteBuf frame) {
                replies.add(new Reply(text.apply(frame), frame instanceof CompositeByteBuf, frame.capacity(),
                        frame instanceof CompositeByteBuf c ? c.numComponents() : 1));
                frame.release();
            }

            @Override
            public void onFailure(String reason) {
                replies.add(new Reply("failed: " + reason, false, 0, 0));
            }
        };
    }

    @Override
    public int route(ByteBuf buf, int offset, int length) {
        return route(buf.toString(offset, length, StandardCharsets.ISO_8859_1));
    }

    @Override
    public int route(byte[] key, int offset, int length) {
        return route(new String(key, offset, length, StandardCharsets.ISO_8859_1));
    }

    private int route(String key) {
        routed.add(key);
        return router.applyAsInt(key);
    }

    @Override
    public void send(int serverIndex, ByteBuf request, ReplyWaiter waiter) {
        sent.add(new Sent(serverIndex, text.apply(request), waiter));
        request.release();
    }

    @Override
    public void closeAfterReplies() {
        closing = true;
    }

    @Override
    public void closeOnProtocolError(String reason) {
        closing = true;
    }

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public int serverCount() {
        return serverCount;
    }

    @Override
    public String serverName(int serverIndex) {
        return "server-" + serverIndex;
    }

    @Override
    public String clientAddress() {
        return "fake-client";
    }

    /** The figures {@link #proxyFigures} hands out; null for none. */
    public io.shardgate.protocol.ProxyFigures figures;

    @Override
    public void proxyFigures(java.util.function.Consumer<io.shardgate.protocol.ProxyFigures> then) {
        then.accept(figures);
    }
}
