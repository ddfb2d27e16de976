package io.shardgate.stats;

import io.shardgate.protocol.FailureReasons;

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
     * A request of {@code bytes} is forwarded to this server; {@code awaitsReply} unless it is noreply. The
     * server link that sends it calls {@link #replied} or {@link #settle} for it later (no object per request).
     */
    public void forwarded(int bytes, boolean awaitsReply) {
        values[Stat.REQUESTS.index]++;
        values[Stat.REQUEST_BYTES.index] += bytes;
        if (awaitsReply) {
            awaiting++;
            awaitingBytes += bytes;
        }
    }

    /** The reply to a forwarded request came, {@code nanos} after the request was written. */
    public void replied(int requestBytes, int replyBytes, long nanos) {
        settle(requestBytes);
        values[Stat.RESPONSES.index]++;
        values[Stat.RESPONSE_BYTES.index] += replyBytes;
        latency[Latency.bucket(nanos)]++;
        latencySumNanos += nanos;
    }

    /** No reply will come for a forwarded request (it failed, or was never written). */
    public void settle(int requestBytes) {
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
