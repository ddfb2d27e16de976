package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;

/** Parses and verifies the replies of one connection, incrementally, from bytes as they arrive. */
public interface ReplyParser {
    /** The connection's view of its requests in flight, oldest first. */
    interface Listener {
        /** The oldest request without a complete reply, or null when none is in flight. */
        Request current();

        /** The reply of {@link #current()} is complete (verified, or failed with {@link Request#error()}). */
        void completed(Request request);
    }

    /**
     * Consumes all complete reply pieces in {@code in}; an incomplete line stays unread for the next call, with more
     * bytes appended. Returns false on bytes that cannot be parsed: the stream is out of step and the connection
     * must be closed. The description of the problem is then in {@link #failure()}.
     */
    boolean parse(ByteBuf in);

    String failure();
}
