package io.shardgate.protocol.memcache;

import static io.shardgate.protocol.memcache.CodecHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardgate.protocol.PendingReplies;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class McReplyFramerTest {
    private static final Supplier<ChannelHandler> FRAMER = McReplyFramer::new;

    @Test
    void oneLineReplies() {
        assertThat(everySplit(FRAMER, "STORED\r\nNOT_FOUND\r\n42\r\nSERVER_ERROR out of memory\r\nEND\r\n"))
                .containsExactly("STORED\\r\\n", "NOT_FOUND\\r\\n", "42\\r\\n", "SERVER_ERROR out of memory\\r\\n", "END\\r\\n");
    }

    @Test
    void retrievalRepliesRunToEnd() {
        assertThat(everySplit(FRAMER, "VALUE a 0 1\r\nx\r\nVALUE b 5 2 77\r\nyz\r\nEND\r\nSTORED\r\n")).containsExactly(
                "VALUE a 0 1\\r\\nx\\r\\nVALUE b 5 2 77\\r\\nyz\\r\\nEND\\r\\n", "STORED\\r\\n");
    }

    @Test
    void dataBlocksAreSkippedByLengthWhateverTheyHold() {
        assertThat(everySplit(FRAMER, "VALUE a 0 7\r\n\r\nEND\r\n\r\nEND\r\nVALUE e 0 0\r\n\r\nEND\r\n")).containsExactly(
                "VALUE a 0 7\\r\\n\\r\\nEND\\r\\n\\r\\nEND\\r\\n", "VALUE e 0 0\\r\\n\\r\\nEND\\r\\n");
    }

    @Test
    void metaValueRepliesCarryTheirData() {
        assertThat(everySplit(FRAMER, "VA 2 f0\r\nhi\r\nHD\r\nEN\r\nME k exp=-1 la=1 cas=2 fetch=no cls=1 size=63\r\n"))
                .containsExactly("VA 2 f0\\r\\nhi\\r\\n", "HD\\r\\n", "EN\\r\\n",
                        "ME k exp=-1 la=1 cas=2 fetch=no cls=1 size=63\\r\\n");
    }

    @Test
    void aBracketedReplyRunsFromMnToMn() {
        // what the backend sends for "mn / ma ... q N.. / mn": nothing, a line, or a value, between the markers
        assertThat(everySplit(FRAMER, "MN\r\nMN\r\nHD\r\nMN\r\nHD t-1\r\nMN\r\nMN\r\nVA 4 c9\r\nMN\r\n\r\nMN\r\nEN\r\n"))
                .containsExactly(
                        "MN\\r\\nMN\\r\\n",
                        "HD\\r\\n",
                        "MN\\r\\nHD t-1\\r\\nMN\\r\\n",
                        "MN\\r\\nVA 4 c9\\r\\nMN\\r\\n\\r\\nMN\\r\\n",
                        "EN\\r\\n");
        assertThat(everySplit(FRAMER, "MN\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\nMN\r\n"))
                .containsExactly("MN\\r\\nCLIENT_ERROR cannot increment or decrement non-numeric value\\r\\nMN\\r\\n");
    }

    @Test
    void aLineRunsPastARawKeyItsRequestSaysTheReplyMayHold() {
        McReplyFramer.RawKey key = new McReplyFramer.RawKey("a\r\nMN\r\nb".getBytes(StandardCharsets.ISO_8859_1));
        McReplyFramer.RawKey other = new McReplyFramer.RawKey("x\ny".getBytes(StandardCharsets.ISO_8859_1));
        // what memcached sends for: mg (created by N) with k; a request without a hint; mg with v and k; me;
        // the same keys written in base64, a miss, an error; a hit without k; a hinted key that isn't the one held
        String replies = "HD O1 ka\r\nMN\r\nb W\r\n" + "HD\r\n" + "VA 2 s2 ka\r\nMN\r\nb Z\r\nhi\r\n"
                + "ME a\r\nMN\r\nb exp=-1 la=0 cas=3 fetch=no cls=1 size=70\r\n"
                + "HD kYQ0KTU4NCmI= b\r\n" + "ME YQ0KTU4NCmI= exp=-1 la=0 cas=3 fetch=no cls=1 size=70\r\n" + "EN\r\n"
                + "SERVER_ERROR out of memory\r\n" + "VA 1 s1\r\nz\r\n" + "HD ka\r\nMN\r\nb\r\n" + "MN\r\n";
        assertThat(everySplit(hinted(key, null, key, key, key, key, key, key, key, other), replies)).containsExactly(
                "HD O1 ka\\r\\nMN\\r\\nb W\\r\\n",
                "HD\\r\\n",
                "VA 2 s2 ka\\r\\nMN\\r\\nb Z\\r\\nhi\\r\\n",
                "ME a\\r\\nMN\\r\\nb exp=-1 la=0 cas=3 fetch=no cls=1 size=70\\r\\n",
                "HD kYQ0KTU4NCmI= b\\r\\n",
                "ME YQ0KTU4NCmI= exp=-1 la=0 cas=3 fetch=no cls=1 size=70\\r\\n",
                "EN\\r\\n",
                "SERVER_ERROR out of memory\\r\\n",
                "VA 1 s1\\r\\nz\\r\\n",
                // with the wrong key (never so: a reply holds its own request's key) it is framed by lines again
                "HD ka\\r\\n", "MN\\r\\nb\\r\\nMN\\r\\n");
        // without hints, the line ends at the first newline, and the rest, which is no reply, is refused rather than
        // handed to the next request on the connection
        assertThatThrownBy(() -> CodecHarness.decode(FRAMER, "HD ka\nb W\r\nHD\r\n"))
                .hasMessageContaining("not a memcached reply");
    }

    /**
     * A framer whose pending requests have the given hints, in order: the first for the first reply, and so on,
     * counting the replies it has handed on.
     */
    private static Supplier<ChannelHandler> hinted(Object... hints) {
        return () -> new ChannelInitializer<EmbeddedChannel>() {
            @Override
            protected void initChannel(EmbeddedChannel ch) {
                int[] handedOn = {0};
                PendingReplies pending = ahead -> handedOn[0] + ahead < hints.length ? hints[handedOn[0] + ahead] : null;
                ch.pipeline().addLast(new McReplyFramer(pending), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        handedOn[0]++;
                        ctx.fireChannelRead(msg);
                    }
                });
            }
        };
    }

    @Test
    void garbageFromAServerIsAnError() {
        assertThatThrownBy(() -> CodecHarness.decode(FRAMER, "VALUE a 0 zz\r\n")).hasMessageContaining("bad value line");
        assertThatThrownBy(() -> CodecHarness.decode(FRAMER, "VALUE a 0 1\r\nxyz")).hasMessageContaining("not followed");
    }

    @Test
    void aLineThatIsNoMemcachedReplyIsAnErrorNotAReply() {
        // found by the chaos run: a backend sending garbage had its lines forwarded to clients as replies
        for (String garbage : new String[] {"STOR\u0000ED\r\n", "\u00ff\u00fe\u00fd\r\n", "VALUE\r\n", "hello\r\n",
                "\u0000\u0001 not a reply\r\n", "42x\r\n", "\r\n", "stored\r\n"}) {
            assertThatThrownBy(() -> CodecHarness.decode(FRAMER, garbage)).as(garbage)
                    .hasMessageContaining("not a memcached reply");
        }
        // a retrieval's entries are followed by more entries or END, nothing else
        assertThatThrownBy(() -> CodecHarness.decode(FRAMER, "VALUE a 0 1\r\nx\r\nSTORED\r\n"))
                .hasMessageContaining("not a memcached reply");
    }

    @Test
    void everyReplyMemcachedSendsIsOne() {
        assertThat(everySplit(FRAMER, "END\r\nSTORED\r\nNOT_STORED\r\nEXISTS\r\nNOT_FOUND\r\nDELETED\r\nTOUCHED\r\n"
                + "0\r\n18446744073709551615\r\nERROR\r\nERROR unknown command\r\nCLIENT_ERROR bad data chunk\r\n"
                + "SERVER_ERROR out of memory\r\nVERSION 1.6.18\r\nOK\r\nHD\r\nHD c5 t-1\r\nEN\r\nNS\r\nEX\r\nNF\r\n"
                + "MN\r\nMN\r\nME k exp=-1\r\nEN k\r\n")).hasSize(24); // MN ... MN is one frame
    }
}
