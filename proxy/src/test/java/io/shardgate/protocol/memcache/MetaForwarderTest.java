package io.shardgate.protocol.memcache;

import static io.shardgate.protocol.memcache.CodecHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardgate.testsupport.FakeClientContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What the proxy sends a backend for meta requests, and which backend replies reach the client. */
class MetaForwarderTest {
    /** The decoder followed by what dispatch does to each request's bytes before sending them. */
    private static final Supplier<ChannelHandler> FORWARDED = () -> new ChannelInitializer<EmbeddedChannel>() {
        @Override
        protected void initChannel(EmbeddedChannel ch) {
            ch.pipeline().addLast(new McRequestDecoder(1024 * 1024), new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof MetaRequest m) {
                        ByteBuf out = switch (m.quiet) {
                            case NONE -> m.frame;
                            case BRACKETED -> MetaForwarder.bracketed(m, newContext());
                            default -> MetaForwarder.withoutQuiet(m, newContext());
                        };
                        ctx.fireChannelRead(out);
                    } else {
                        ctx.fireChannelRead(msg);
                    }
                }
            });
        }
    };

    @Test
    void theQuietFlagIsLeftOutOfTheLineAndTheRestIsKeptByteForByte() {
        assertThat(everySplit(FORWARDED, "mg k q v\r\nmg k v t q\r\nmg k  qxyz  v\nmd k q\r\nma k q D5 v\r\nmg k v\r\n"))
                .containsExactly(
                        "mg k v\\r\\n",
                        "mg k v t\\r\\n",
                        "mg k   v\\n",
                        "md k\\r\\n",
                        "ma k D5 v\\r\\n",
                        "mg k v\\r\\n");
    }

    @Test
    void anMsKeepsItsDataBlockWhateverItHolds() {
        assertThat(everySplit(FORWARDED, "ms k 9 q T0 F1\r\nq\r\nq v q\r\r\nms k 0 q\r\n\r\n"))
                .containsExactly("ms k 9 T0 F1\\r\\nq\\r\\nq v q\\r\\r\\n", "ms k 0\\r\\n\\r\\n");
    }

    @Test
    void maWithQuietAndAutovivifyIsSentAsIsBetweenTwoNoOps() {
        assertThat(everySplit(FORWARDED, "ma k q N0 J5 v\r\n"))
                .containsExactly("mn\\r\\nma k q N0 J5 v\\r\\nmn\\r\\n");
    }

    @Test
    void quietDropsExactlyWhatMemcachedSuppresses() {
        assertThat(dropped(MetaRequest.Quiet.DROP_MISS, "EN\r\n", "EN O5 kfoo\r\n", "HD\r\n", "VA 1 t-1\r\nx\r\n",
                "CLIENT_ERROR bad data chunk\r\n", "SERVER_ERROR out of memory\r\n"))
                .containsExactly(true, true, false, false, false, false);
        assertThat(dropped(MetaRequest.Quiet.DROP_HD, "HD\r\n", "HD O1 c5\r\n", "NS\r\n", "EX\r\n", "NF\r\n", "ENX\r\n"))
                .containsExactly(true, true, false, false, false, false);
        assertThat(dropped(MetaRequest.Quiet.DROP_HD_OR_VA, "HD\r\n", "VA 2 c3\r\n10\r\n", "NF\r\n", "EX\r\n", "NS\r\n",
                "CLIENT_ERROR cannot increment or decrement non-numeric value\r\n"))
                .containsExactly(true, true, false, false, false, false);
    }

    @Test
    void quietRepliesKeepTheirPlaceAsNothingAndFailuresAlwaysReachTheClient() {
        FakeClientContext context = newContext();
        dispatch(context, "mg k q v\r\nmg k q v\r\nms k 1 q\r\nx\r\nma k q N0\r\nma k q N0\r\n");
        context.sent.get(0).waiter().onReply(ascii("EN\r\n"));
        context.sent.get(1).waiter().onFailure("Connection timed out");
        context.sent.get(2).waiter().onReply(ascii("NS\r\n"));
        context.sent.get(3).waiter().onReply(ascii("MN\r\nMN\r\n"));
        context.sent.get(4).waiter().onReply(ascii("MN\r\nHD\r\nMN\r\n"));
        assertThat(context.texts()).containsExactly("", "failed: Connection timed out", "NS\r\n", "", "HD\r\n");
    }

    @Test
    void aBase64KeyIsRoutedByItsDecodedBytesAndForwardedAsSent() {
        FakeClientContext context = newContext();
        dispatch(context, "mg Zm9v b v\r\nmg foo v\r\n");
        assertThat(context.routed).containsExactly("foo", "foo");
        assertThat(context.sent).extracting(s -> s.request()).containsExactly("mg Zm9v b v\r\n", "mg foo v\r\n");
        context.sent.forEach(s -> s.waiter().onFailure("x"));
    }

    @Test
    void aRequestWhoseReplyMayHoldItsKeyRawTellsTheFramerWhichKey() {
        // YQpi is "a\nb"; the reply of a quiet hit still passes, a quiet miss still drops
        FakeClientContext context = newContext();
        dispatch(context, "mg YQpi b k v\r\nmg YQpi b k q\r\nmg YQpi b k q\r\nme YQpi b\r\nmg YQpi b v\r\n");
        assertThat(context.sent).extracting(s -> s.waiter().framingHint() instanceof McReplyFramer.RawKey hint
                ? new String(hint.key(), StandardCharsets.ISO_8859_1) : null)
                .containsExactly("a\nb", "a\nb", "a\nb", "a\nb", null);
        assertThat(context.sent).extracting(s -> s.request())
                .containsExactly("mg YQpi b k v\r\n", "mg YQpi b k\r\n", "mg YQpi b k\r\n", "me YQpi b\r\n", "mg YQpi b v\r\n");
        context.sent.get(0).waiter().onReply(ascii("VA 0 ka\nb W\r\n\r\n"));
        context.sent.get(1).waiter().onReply(ascii("HD ka\nb\r\n"));
        context.sent.get(2).waiter().onReply(ascii("EN\r\n"));
        context.sent.get(3).waiter().onFailure("x");
        context.sent.get(4).waiter().onFailure("y");
        assertThat(context.texts()).containsExactly("VA 0 ka\nb W\r\n\r\n", "HD ka\nb\r\n", "", "failed: x", "failed: y");
    }

    private static List<Boolean> dropped(MetaRequest.Quiet quiet, String... replies) {
        List<Boolean> out = new ArrayList<>();
        for (String reply : replies) {
            ByteBuf buf = ascii(reply);
            out.add(MetaForwarder.suppressed(quiet, buf));
            buf.release();
        }
        return out;
    }

    private static void dispatch(FakeClientContext context, String input) {
        EmbeddedChannel channel = new EmbeddedChannel(new McRequestDecoder(1024 * 1024));
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer();
        in.writeCharSequence(input, StandardCharsets.ISO_8859_1);
        channel.writeInbound(in);
        Object msg;
        while ((msg = channel.readInbound()) != null) MetaForwarder.dispatch((MetaRequest) msg, context);
        channel.finishAndReleaseAll();
    }

    private static ByteBuf ascii(String s) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
        buf.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        return buf;
    }

    /** Every server is server 0. */
    private static FakeClientContext newContext() {
        return new FakeClientContext(1, key -> 0, frame -> frame.toString(StandardCharsets.ISO_8859_1));
    }
}
