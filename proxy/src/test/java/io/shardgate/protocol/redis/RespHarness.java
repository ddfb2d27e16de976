package io.shardgate.protocol.redis;

import io.shardgate.protocol.LocalReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.shardgate.testsupport.CodecFeed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Describes what the RESP decoder and framer emit as text, for {@link CodecFeed}, which feeds the bytes whole,
 * split at every byte boundary and one byte at a time; a decoder exception is recorded as the last output line.
 */
final class RespHarness {
    private RespHarness() {}

    private static final CodecFeed FEED = new CodecFeed(RespHarness::describe, true);

    static List<String> decode(Supplier<ChannelHandler> handler, List<byte[]> chunks) {
        return FEED.decode(handler, chunks);
    }

    static List<String> decode(Supplier<ChannelHandler> handler, String input) {
        return decode(handler, List.of(bytes(input)));
    }

    static List<String> everySplit(Supplier<ChannelHandler> handler, String input) {
        return everySplit(handler, bytes(input));
    }

    static List<String> everySplit(Supplier<ChannelHandler> handler, byte[] bytes) {
        return FEED.everySplit(handler, bytes);
    }

    static String describe(Object msg) {
        if (msg instanceof RedisRequest r) {
            StringBuilder keys = new StringBuilder();
            for (int k = 0; k < r.keyCount(); k++) {
                if (k > 0) keys.append(',');
                int arg = r.keyArg(k);
                keys.append(r.frame.toString(r.argOffset(arg), r.argLength(arg), StandardCharsets.ISO_8859_1));
            }
            String text = r.command.name + " [" + keys + "] " + text(r.frame);
            r.frame.release();
            return text;
        }
        if (msg instanceof LocalReply l) {
            String text = "reply " + text(l.reply()) + (l.after() == LocalReply.After.CONTINUE ? "" : " +" + l.after());
            l.reply().release();
            return text;
        }
        if (msg instanceof ByteBuf b) {
            String text = text(b);
            b.release();
            return text;
        }
        throw new AssertionError("unexpected " + msg);
    }

    static String text(ByteBuf buf) {
        return CodecFeed.text(buf);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A multi-bulk request of the given words. */
    static String resp(String... words) {
        StringBuilder sb = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) sb.append('$').append(w.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n")
                .append(w).append("\r\n");
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
