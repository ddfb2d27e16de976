package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds bytes to a RESP decoder or framer on an {@link EmbeddedChannel} and describes what came out as text,
 * releasing every buffer. {@link #everySplit} checks the result is the same whole, split at every byte boundary,
 * and one byte at a time.
 */
final class RespHarness {
    private RespHarness() {}

    static List<String> decode(Supplier<ChannelHandler> handler, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(handler.get());
        List<String> out = new ArrayList<>();
        try {
            for (byte[] chunk : chunks) {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(chunk.length);
                buf.writeBytes(chunk);
                channel.writeInbound(buf);
                Object msg;
                while ((msg = channel.readInbound()) != null) out.add(describe(msg));
            }
        } catch (RuntimeException e) {
            out.add("exception " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            channel.finishAndReleaseAll();
        }
        return out;
    }

    static List<String> decode(Supplier<ChannelHandler> handler, String input) {
        return decode(handler, List.of(bytes(input)));
    }

    static List<String> everySplit(Supplier<ChannelHandler> handler, String input) {
        return everySplit(handler, bytes(input));
    }

    static List<String> everySplit(Supplier<ChannelHandler> handler, byte[] bytes) {
        List<String> whole = decode(handler, List.of(bytes));
        for (int i = 1; i < bytes.length; i++) {
            List<String> split = decode(handler, List.of(Arrays.copyOfRange(bytes, 0, i),
                    Arrays.copyOfRange(bytes, i, bytes.length)));
            if (!split.equals(whole)) {
                throw new AssertionError("split at " + i + " gave " + split + " but whole input gave " + whole);
            }
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) single.add(new byte[] {b});
        List<String> oneByOne = decode(handler, single);
        if (!oneByOne.equals(whole)) {
            throw new AssertionError("one byte at a time gave " + oneByOne + " but whole input gave " + whole);
        }
        return whole;
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
            String text = "reply " + text(l.reply()) + (l.then() == LocalReply.Then.CONTINUE ? "" : " +" + l.then());
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
        return buf.toString(StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
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
