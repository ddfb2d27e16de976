package io.shardgate.stats;

import io.netty.buffer.ByteBuf;
import io.shardgate.backend.FailureReasons;
import io.shardgate.protocol.ReplyWaiter;

/**
 * One worker's counters for one backend server (shared by that worker's {@code server_connections} links to it,
 * all on the worker's thread). See {@link PoolCounters} for the threading rule.
 */
public final class ServerCounters {
    final PoolCounters pool;
    final long[] values = new long[Stat.SERVER_COUNT];
    final long[] latency = new long[Latency.BUCKETS];
    long latencySumNanos;
    /** Requests forwarded with a waiter whose reply has not come yet, and their bytes. */
    long awaiting;
    long awaitingBytes;
    long connectionsOpened;

    ServerCounters(PoolCounters pool) {
        this.pool = pool;
    }

    /**
     * A request is forwarded to this server: counts it, and returns the waiter to hand to the link instead of
     * {@code waiter}, which also counts the reply and its latency. {@code null} (noreply) stays null.
     */
    public ReplyWaiter forward(ByteBuf request, ReplyWaiter waiter) {
        int bytes = request.readableBytes();
        values[Stat.REQUESTS.index]++;
        values[Stat.REQUEST_BYTES.index] += bytes;
        if (waiter == null) return null;
        awaiting++;
        awaitingBytes += bytes;
        return new TrackedReply(this, waiter, bytes, System.nanoTime());
    }

    void replied(int requestBytes, int replyBytes, long nanos) {
        settle(requestBytes);
        values[Stat.RESPONSES.index]++;
        values[Stat.RESPONSE_BYTES.index] += replyBytes;
        latency[Latency.bucket(nanos)]++;
        latencySumNanos += nanos;
    }

    void settle(int requestBytes) {
        awaiting--;
        awaitingBytes -= requestBytes;
    }

    // ---- connection events, from the server link ----

    public void connected() {
        values[Stat.SERVER_CONNECTIONS.index]++;
        connectionsOpened++;
    }

    /** An open connection closed, {@code reason} as {@link FailureReasons} words it. */
    public void closed(String reason) {
        values[Stat.SERVER_CONNECTIONS.index]--;
        countFailure(reason, true);
    }

    /** A connect attempt failed. */
    public void connectFailed(String reason) {
        countFailure(reason, false);
    }

    private void countFailure(String reason, boolean wasOpen) {
        if (FailureReasons.TIMED_OUT.equals(reason)) {
            values[Stat.SERVER_TIMEDOUT.index]++;
        } else if (wasOpen && FailureReasons.CONNECTION_CLOSED.equals(reason)) {
            values[Stat.SERVER_EOF.index]++;
        } else {
            values[Stat.SERVER_ERR.index]++;
        }
    }

    /** A request timed out without the connection being closed (counted as nutcracker counts a timeout). */
    public void timedOut() {
        values[Stat.SERVER_TIMEDOUT.index]++;
    }

    /** The server was ejected from its pool's distribution: stamps {@code server_ejected_at}, counts {@code server_ejects}. */
    public void ejected() {
        java.time.Instant now = java.time.Instant.now();
        values[Stat.SERVER_EJECTED_AT.index] = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        pool.values[Stat.SERVER_EJECTS.index]++;
    }
}
