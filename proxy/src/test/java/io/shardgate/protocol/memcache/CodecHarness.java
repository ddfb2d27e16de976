package io.shardgate.protocol.memcache;

import io.shardgate.protocol.LocalReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.shardgate.testsupport.CodecFeed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * Describes what the memcached codecs emit as text, for {@link CodecFeed}, which feeds the bytes whole, split at
 * every byte boundary and one byte at a time.
 */
final class CodecHarness {
    private CodecHarness() {}

    private static final CodecFeed FEED = new CodecFeed(CodecHarness::describe, false);

    static List<String> decode(Supplier<ChannelHandler> decoder, List<byte[]> chunks) {
        return FEED.decode(decoder, chunks);
    }

    static List<String> decode(Supplier<ChannelHandler> decoder, String input) {
        return decode(decoder, List.of(input.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Decodes whole, split at every byte boundary, and one byte at a time; all must agree. Returns the result. */
    static List<String> everySplit(Supplier<ChannelHandler> decoder, String input) {
        return FEED.everySplit(decoder, input.getBytes(StandardCharsets.ISO_8859_1));
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
            String text = "reply " + text(l.reply()) + (l.after() == LocalReply.After.PROTOCOL_ERROR ? " +close" : "");
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
}
