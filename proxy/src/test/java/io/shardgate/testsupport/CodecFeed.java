package io.shardgate.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Feeds bytes to a decoder or framer on an {@link EmbeddedChannel} and turns what came out into text with a
 * protocol's describer (which releases each message). {@link #everySplit} checks the result is the same whole,
 * split at every byte boundary, and one byte at a time. Each protocol's test harness supplies the describer.
 */
public final class CodecFeed {
    private final Function<Object, String> describe;
    /** Record a decoder exception as the last output line instead of throwing it. */
    private final boolean recordExceptions;

    public CodecFeed(Function<Object, String> describe, boolean recordExceptions) {
        this.describe = describe;
        this.recordExceptions = recordExceptions;
    }

    public List<String> decode(Supplier<ChannelHandler> handler, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel(handler.get());
        List<String> out = new ArrayList<>();
        try {
            for (byte[] chunk : chunks) {
                ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(chunk.length);
                buf.writeBytes(chunk);
                channel.writeInbound(buf);
                Object msg;
                while ((msg = channel.readInbound()) != null) out.add(describe.apply(msg));
            }
        } catch (RuntimeException e) {
            if (!recordExceptions) throw e;
            out.add("exception " + e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            channel.finishAndReleaseAll();
        }
        return out;
    }

    /** Decodes whole, split at every byte boundary, and one byte at a time; all must agree. Returns the result. */
    public List<String> everySplit(Supplier<ChannelHandler> handler, byte[] bytes) {
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

    /** A buffer's bytes as text, with CR and LF written as {@code \r} and {@code \n}. */
    public static String text(ByteBuf buf) {
        return buf.toString(StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
