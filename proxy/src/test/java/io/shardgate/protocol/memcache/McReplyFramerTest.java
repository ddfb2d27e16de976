package io.shardgate.protocol.memcache;

import static io.shardgate.protocol.memcache.CodecHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandler;
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
    void garbageFromAServerIsAnError() {
        assertThatThrownBy(() -> CodecHarness.decode(FRAMER, "VALUE a 0 zz\r\n")).hasMessageContaining("bad value line");
        assertThatThrownBy(() -> CodecHarness.decode(FRAMER, "VALUE a 0 1\r\nxyz")).hasMessageContaining("not followed");
    }
}
