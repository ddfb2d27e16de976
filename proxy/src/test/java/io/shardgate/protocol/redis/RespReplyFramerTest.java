package io.shardgate.protocol.redis;

import static io.shardgate.protocol.redis.RespHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RespReplyFramerTest {
    private static final Supplier<ChannelHandler> FRAMER = RespReplyFramer::new;

    @Test
    void scalarsOneFrameEach() {
        assertThat(everySplit(FRAMER, "+OK\r\n-ERR no\r\n:42\r\n$3\r\nabc\r\n$-1\r\n$0\r\n\r\n")).containsExactly(
                "+OK\\r\\n", "-ERR no\\r\\n", ":42\\r\\n", "$3\\r\\nabc\\r\\n", "$-1\\r\\n", "$0\\r\\n\\r\\n");
    }

    @Test
    void bulkMayHoldAnything() {
        assertThat(everySplit(FRAMER, "$7\r\n+OK\r\n*1\r\n:1\r\n")).containsExactly(
                "$7\\r\\n+OK\\r\\n*1\\r\\n", ":1\\r\\n");
    }

    @Test
    void arraysNestedAndEmpty() {
        String nested = "*3\r\n*2\r\n:1\r\n*0\r\n$-1\r\n*2\r\n*1\r\n+a\r\n-e\r\n";
        assertThat(everySplit(FRAMER, "*0\r\n*-1\r\n" + nested + "*2\r\n$1\r\nx\r\n$-1\r\n")).containsExactly(
                "*0\\r\\n", "*-1\\r\\n", RespHarness.esc(nested), "*2\\r\\n$1\\r\\nx\\r\\n$-1\\r\\n");
    }

    @Test
    void deepNesting() {
        String deep = "*1\r\n".repeat(40) + ":7\r\n";
        assertThat(everySplit(FRAMER, deep + "+OK\r\n")).containsExactly(RespHarness.esc(deep), "+OK\\r\\n");
    }

    @Test
    void garbageFromServerIsAnError() {
        assertThat(RespHarness.decode(FRAMER, "?what\r\n")).singleElement().asString()
                .startsWith("exception CorruptedFrameException");
        assertThat(RespHarness.decode(FRAMER, "$3\r\nabcd\r\n")).singleElement().asString()
                .startsWith("exception CorruptedFrameException");
    }

    @Test
    void skipElementFindsEnds() {
        ByteBuf buf = Unpooled.copiedBuffer("*2\r\n$1\r\na\r\n*1\r\n:1\r\n+x\r\n", StandardCharsets.ISO_8859_1);
        assertThat(RespReplyFramer.skipElement(buf, 0, buf.writerIndex())).isEqualTo(19);
        assertThat(RespReplyFramer.skipElement(buf, 19, buf.writerIndex())).isEqualTo(buf.writerIndex());
        assertThat(RespReplyFramer.skipElement(buf, 0, 10)).isEqualTo(-1);
    }
}
