package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Feeds bytes to a decoder on an {@link EmbeddedChannel} and describes what came out as text, releasing every
 * buffer. {@link #everySplit} checks that the result is the same however the bytes arrive.
 */
final class CodecHarness {
    private CodecHarness() {}

    static List<String> decode(Supplier<ChannelHandler> decoder, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder.get());
        List<String> out = new ArrayList<>();
        try {
            for (byte[] chunk : chunks) {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(chunk.length);
                buf.writeBytes(chunk);
                channel.writeInbound(buf);
                drain(channel, out);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return out;
    }

    static List<String> decode(Supplier<ChannelHandler> decoder, String input) {
        return decode(decoder, List.of(input.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Decodes whole, split at every byte boundary, and one byte at a time; all must agree. Returns the result. */
    static List<String> everySplit(Supplier<ChannelHandler> decoder, String input) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = decode(decoder, List.of(bytes));
        for (int i = 1; i < bytes.length; i++) {
            List<byte[]> parts = List.of(java.util.Arrays.copyOfRange(bytes, 0, i), java.util.Arrays.copyOfRange(bytes, i, bytes.length));
            List<String> split = decode(decoder, parts);
            if (!split.equals(whole)) {
                throw new AssertionError("split at " + i + " gave " + split + " but whole input gave " + whole);
            }
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) single.add(new byte[] {b});
        List<String> oneByOne = decode(decoder, single);
        if (!oneByOne.equals(whole)) {
            throw new AssertionError("one byte at a time gave " + oneByOne + " but whole input gave " + whole);
        }
        return whole;
    }

    private static void drain(EmbeddedChannel channel, List<String> out) {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            out.add(describe(msg));
        }
    }

    static String describe(Object msg) {
        if (msg instanceof McRequest r) {
            StringBuilder keys = new StringBuilder();
            for (int k = 0; k < r.keyCount; k++) {
                if (k > 0) keys.append(',');
                keys.append(r.frame.toString(r.keyOffset(k), r.keyLength(k), StandardCharsets.ISO_8859_1));
            }
            String text = r.command + (r.noreply ? " noreply" : "") + " [" + keys + "] " + text(r.frame);
            r.frame.release();
            return text;
        }
        if (msg instanceof MetaRequest m) {
            StringBuilder text = new StringBuilder(m.command.name()).append(" [")
                    .append(m.frame.toString(m.keyOffset, m.keyLength, StandardCharsets.ISO_8859_1)).append(']');
            if (m.binaryKey != null) text.append(" b64=").append(io.netty.buffer.ByteBufUtil.hexDump(m.binaryKey));
            if (m.rawKeyInReply != null) text.append(" raw-key-in-reply");
            if (m.quiet != MetaRequest.Quiet.NONE) {
                text.append(' ').append(m.quiet).append(" q=")
                        .append(m.frame.toString(m.quietOffset, m.quietLength, StandardCharsets.ISO_8859_1));
            }
            if (m.frame.readableBytes() > m.lineLength) text.append(" data=").append(m.frame.readableBytes() - m.lineLength - 2);
            text.append(' ').append(text(m.frame));
            m.frame.release();
            return text.toString();
        }
        if (msg instanceof LocalReply l) {
            String text = "reply " + text(l.reply()) + (l.close() ? " +close" : "");
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
}
