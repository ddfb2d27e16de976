package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Whoever waits for one reply from a backend: a client's place in its reply order, or one part of a request that
 * was split across servers. Exactly one of the two methods is called, exactly once, on the worker's thread.
 */
public interface ReplyWaiter {
    /** The complete reply frame; the waiter now owns it and must release it. */
    void onReply(ByteBuf frame);

    /** No reply will come: the request could not be sent, the connection broke, or it timed out. */
    void onFailure(String reason);

    /**
     * What the backend connection's reply framer must know to find where this request's reply ends, for the rare
     * reply that can't be framed from its bytes alone; null (nearly always) when there is nothing to know. Read
     * by the framer through {@link PendingReplies}; its meaning is the protocol's own.
     */
    default Object framingHint() {
        return null;
    }
}
