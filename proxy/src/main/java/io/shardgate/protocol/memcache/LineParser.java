package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.ClientRequest;

/**
 * Validates one command line that the request decoder has framed and split into tokens, and says what the
 * decoder does with it: forward a request (after its data block, if it has one), answer, or close. One instance
 * per decoder, holding the outcome of the last line until the decoder has acted on it.
 */
abstract class LineParser {
    /** What the decoder does with a line. */
    enum Outcome {
        /** A request to forward, once its data block ({@link #dataLength} bytes) has come, if it has one. */
        REQUEST,
        /** Nothing to answer ({@code noreply}) and nothing to forward: the line is dropped. */
        SKIP,
        /** Answer {@link #reply}; the stream goes on with the next line. */
        REPLY,
        /** Answer {@link #reply} and skip {@link #swallow} bytes: the data block of a refused storage command. */
        REPLY_AND_SWALLOW,
        /** Answer {@link #reply} and close: the stream can't be resynchronised (no data block length). */
        REPLY_AND_CLOSE
    }

    // ---- the outcome of the last parse ----
    ByteBuf reply;
    long swallow;
    /** The data block's length (without its \r\n) of a storage request, else -1. */
    int dataLength;

    /**
     * Parses the line starting at {@code lineStart}; {@code tokens} holds absolute start/end pairs into {@code in}
     * and there is at least one.
     */
    abstract Outcome parse(ByteBuf in, int lineStart, int[] tokens, int tokenCount);

    /**
     * The request of the last line parsed as {@link Outcome#REQUEST}, over {@code frame}: its line of
     * {@code lineLength} bytes, and its data block if it has one.
     */
    abstract ClientRequest request(ByteBuf frame, int lineLength);

    final void reset() {
        reply = null;
        swallow = 0;
        dataLength = -1;
    }

    final Outcome reply(ByteBuf constant) {
        reply = McReplies.of(constant);
        return Outcome.REPLY;
    }

    final Outcome replyLine(String line) {
        reply = McReplies.clientErrorLine(line);
        return Outcome.REPLY;
    }

    /** Answers with {@code buf} (owned) and skips the data block of {@code length} bytes and its \r\n. */
    final Outcome replyAndSwallow(ByteBuf buf, long length) {
        reply = buf;
        swallow = length + 2;
        return Outcome.REPLY_AND_SWALLOW;
    }

    final Outcome replyAndClose(ByteBuf constant) {
        reply = McReplies.of(constant);
        return Outcome.REPLY_AND_CLOSE;
    }
}
