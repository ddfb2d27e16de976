package io.shardgate.stats;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.ReplyWaiter;

/** Stands in for a waiter on a server link to count the reply, its bytes and its latency, then hands it on. */
final class TrackedReply implements ReplyWaiter {
    private final ServerCounters counters;
    private final ReplyWaiter waiter;
    private final int requestBytes;
    private final long sentNanos;

    TrackedReply(ServerCounters counters, ReplyWaiter waiter, int requestBytes, long sentNanos) {
        this.counters = counters;
        this.waiter = waiter;
        this.requestBytes = requestBytes;
        this.sentNanos = sentNanos;
    }

    @Override
    public void onReply(ByteBuf frame) {
        counters.replied(requestBytes, frame.readableBytes(), System.nanoTime() - sentNanos);
        waiter.onReply(frame);
    }

    @Override
    public void onFailure(String reason) {
        counters.settle(requestBytes);
        waiter.onFailure(reason);
    }

    /** The wrapped waiter's hint: counting must not hide what the reply framer needs to know. */
    @Override
    public Object framingHint() {
        return waiter.framingHint();
    }
}
