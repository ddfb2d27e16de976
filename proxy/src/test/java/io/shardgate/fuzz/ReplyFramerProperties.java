package io.shardgate.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardgate.protocol.PendingReplies;
import io.shardgate.protocol.ProxyProtocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The properties every reply framer must have on any bytes from a server, checked through
 * {@code newReplyFramer(PendingReplies.NONE)} on an {@link EmbeddedChannel}.
 *
 * <ol>
 *   <li>Nothing but the framer's own {@code DecoderException} (a stream that is not the protocol) leaves it.
 *   <li>Fed whole, one byte at a time, or split anywhere, it gives the same frames and the same error.
 *   <li>The frames are the stream itself, cut into pieces: nothing dropped, repeated or reordered.
 *   <li>Each frame leaves as soon as its last byte arrived.
 *   <li>While the reference grammar reads the stream as replies, the frames are exactly those replies, and a
 *       stream of valid replies raises no error.
 *   <li>Every buffer is released once the connection is closed.
 * </ol>
 */
final class ReplyFramerProperties {
    private final ProxyProtocol<?> protocol;
    private final ReplyGrammar grammar;

    ReplyFramerProperties(ProxyProtocol<?> protocol, ReplyGrammar grammar) {
        this.protocol = protocol;
        this.grammar = grammar;
    }

    /** What came out of one feeding: the frames, where each left (input bytes fed), and the error, if any. */
    record Result(List<byte[]> frames, List<Integer> at, String error) {
        boolean sameAs(Result o) {
            if (frames.size() != o.frames.size() || !java.util.Objects.equals(error, o.error)) return false;
            for (int i = 0; i < frames.size(); i++) {
                if (!Arrays.equals(frames.get(i), o.frames.get(i))) return false;
            }
            return true;
        }

        List<String> describe() {
            List<String> out = new ArrayList<>();
            for (byte[] f : frames) out.add(Feeds.show(f));
            if (error != null) out.add("error " + error);
            return out;
        }
    }

    void check(byte[] input) {
        Result oneByOne = run(input, Feeds.oneByteAtATime(input));
        compare(input, "whole", oneByOne, run(input, Feeds.whole(input)));
        for (List<byte[]> feed : Feeds.splits(input)) compare(input, feed.size() + " chunks", oneByOne, run(input, feed));
        int pos = 0;
        for (int i = 0; i < oneByOne.frames.size(); i++) {
            byte[] frame = oneByOne.frames.get(i);
            if (!Arrays.equals(input, pos, pos + frame.length, frame, 0, frame.length)) {
                throw new AssertionError("frame " + i + " " + Feeds.show(frame) + " is not the next bytes of "
                        + Feeds.show(input) + " (at " + pos + ")");
            }
            pos += frame.length;
            if (oneByOne.at.get(i) != pos) {
                throw new AssertionError("frame " + i + " " + Feeds.show(frame) + " of " + Feeds.show(input)
                        + " complete after " + pos + " bytes but left after " + oneByOne.at.get(i));
            }
        }
        pos = 0;
        for (int i = 0;; i++) {
            int length = grammar.next(input, pos);
            if (length <= 0) return;
            String reply = Feeds.show(input, pos, pos + length);
            if (i >= oneByOne.frames.size()) {
                throw new AssertionError("the valid reply " + reply + " of " + Feeds.show(input) + " was not framed"
                        + (oneByOne.error != null ? ": " + oneByOne.error : ""));
            }
            if (oneByOne.frames.get(i).length != length) {
                throw new AssertionError("the valid reply " + reply + " of " + Feeds.show(input) + " was framed as "
                        + Feeds.show(oneByOne.frames.get(i)));
            }
            pos += length;
        }
    }

    Result run(byte[] input, List<byte[]> chunks) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(LiveBuffers.ALLOC);
        channel.pipeline().addLast(protocol.newReplyFramer(PendingReplies.NONE));
        List<byte[]> frames = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        String error = null;
        int fed = 0;
        try {
            for (byte[] chunk : chunks) {
                ByteBuf buf = LiveBuffers.ALLOC.directBuffer(chunk.length).writeBytes(chunk);
                try {
                    channel.writeInbound(buf);
                } catch (io.netty.handler.codec.DecoderException e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                fed += chunk.length;
                Object msg;
                while ((msg = channel.readInbound()) != null) {
                    ByteBuf frame = (ByteBuf) msg;
                    try {
                        frames.add(ByteBufUtil.getBytes(frame));
                        at.add(fed);
                    } finally {
                        frame.release();
                    }
                }
                if (error != null) break; // the server connection closes
            }
        } finally {
            try {
                channel.finishAndReleaseAll(); // the framer sees the connection close
            } catch (io.netty.handler.codec.DecoderException e) {
                if (error == null) error = "at close " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
        LiveBuffers.assertNoneLeft(() -> Feeds.show(input) + " fed as " + chunks.size() + " chunk(s)");
        return new Result(frames, at, error);
    }

    private static void compare(byte[] input, String feed, Result oneByOne, Result other) {
        if (!other.sameAs(oneByOne)) {
            throw new AssertionError(Feeds.show(input) + " fed " + feed + " gave " + other.describe()
                    + " but one byte at a time gave " + oneByOne.describe());
        }
    }
}
