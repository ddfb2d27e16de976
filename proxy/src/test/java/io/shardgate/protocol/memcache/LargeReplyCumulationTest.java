package io.shardgate.protocol.memcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A large value that arrives in several reads is put together without copying (a composite of the reads), while
 * small replies split across reads are merged into plain buffers; the frames are right either way.
 */
class LargeReplyCumulationTest {
    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code frame} is a view of a composite (through the leak detector's and the slice's wrappers). */
    private static boolean viewsComposite(ByteBuf frame) {
        for (ByteBuf b = frame; b != null; b = b.unwrap()) {
            if (b instanceof CompositeByteBuf) return true;
        }
        return false;
    }

    private static String value(int size) {
        char[] v = new char[size];
        for (int i = 0; i < size; i++) v[i] = (char) ('a' + i % 26);
        return new String(v);
    }

    @Test
    void aLargeValueInThreeReadsIsAppendedNotCopied() {
        EmbeddedChannel ch = new EmbeddedChannel(new McReplyFramer());
        String data = value(100 * 1024);
        String reply = "VALUE big 0 " + data.length() + "\r\n" + data + "\r\nEND\r\nSTORED\r\n";
        ch.writeInbound(ascii(reply.substring(0, 100)));
        ch.writeInbound(ascii(reply.substring(100, 60_000)));
        ch.writeInbound(ascii(reply.substring(60_000)));
        ByteBuf frame = ch.readInbound();
        try {
            assertThat(frame.toString(StandardCharsets.ISO_8859_1)).isEqualTo(reply.substring(0, reply.length() - 8));
            assertThat(viewsComposite(frame)).isTrue();
        } finally {
            frame.release();
        }
        ByteBuf stored = ch.readInbound();
        assertThat(stored.toString(StandardCharsets.ISO_8859_1)).isEqualTo("STORED\r\n");
        stored.release();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void smallRepliesSplitAcrossReadsAreMergedIntoOneBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new McReplyFramer());
        String reply = "VALUE k 0 100\r\n" + value(100) + "\r\nEND\r\n";
        ch.writeInbound(ascii(reply.substring(0, 40)));
        ch.writeInbound(ascii(reply.substring(40)));
        ByteBuf frame = ch.readInbound();
        try {
            assertThat(frame.toString(StandardCharsets.ISO_8859_1)).isEqualTo(reply);
            assertThat(viewsComposite(frame)).isFalse();
        } finally {
            frame.release();
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void manyLargeValuesBackToBackInUnevenReads() {
        EmbeddedChannel ch = new EmbeddedChannel(new McReplyFramer());
        StringBuilder stream = new StringBuilder();
        String[] replies = new String[6];
        for (int i = 0; i < replies.length; i++) {
            String data = value(20_000 + 7_919 * i);
            replies[i] = "VALUE k" + i + " 0 " + data.length() + "\r\n" + data + "\r\nEND\r\n";
            stream.append(replies[i]);
        }
        int pos = 0;
        int[] reads = {65_536, 1, 17, 40_000, 65_536, 3, 65_536};
        for (int i = 0; pos < stream.length(); i++) {
            int n = Math.min(reads[i % reads.length], stream.length() - pos);
            ch.writeInbound(ascii(stream.substring(pos, pos + n)));
            pos += n;
        }
        String[] got = new String[replies.length];
        for (int i = 0; i < got.length; i++) {
            ByteBuf frame = ch.readInbound();
            got[i] = frame.toString(StandardCharsets.ISO_8859_1);
            frame.release();
        }
        assertThat(Arrays.equals(got, replies)).isTrue();
        assertThat(ch.finish()).isFalse();
    }
}
