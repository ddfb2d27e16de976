package io.shardgate.protocol;

/**
 * What a backend connection's reply framer may learn about the requests on that connection still waiting for
 * their replies, which arrive in the order the requests were written. Almost every reply can be framed from its
 * own bytes; for the few that can't (memcached writing a binary key back raw, newlines and all, inside a reply
 * line), the request leaves a hint on its waiter ({@link ReplyWaiter#framingHint()}) and the framer reads it here.
 */
@FunctionalInterface
public interface PendingReplies {
    /** No requests known: for framers used on their own (benchmarks, tests). */
    PendingReplies NONE = ahead -> null;

    /**
     * The framing hint of the request whose reply comes {@code ahead} replies after the oldest one not yet
     * handed on by the framer (0 for that one itself); null when it has none or there is no such request.
     */
    Object framingHint(int ahead);
}
