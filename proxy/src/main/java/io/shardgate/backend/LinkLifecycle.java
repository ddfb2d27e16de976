package io.shardgate.backend;

import io.shardgate.protocol.FailureReasons;
import java.util.concurrent.TimeUnit;

/**
 * The transitions of a server link's life, kept apart from its sockets so each one can be tested alone. They
 * run on connection events, which are rare; a request only asks {@link #admit}.
 *
 * <pre>
 *   Idle ──connect──▶ Connecting ──connected──▶ Ready ──close(reason)──▶ Closing ──disconnected──▶ Idle
 *    ▲                   │                        │                         │
 *    │             connectFailed           disconnected ─▶ Idle       (handshake refused)
 *    │                   ▼                                                  ▼
 *    └──connect── BackingOff(reason, retryAt) ◀─────────────────────────────┘
 *   any ──shutdown(reason)──▶ Closed (for good)
 * </pre>
 *
 * The backoff starts at {@link #MIN_BACKOFF_NANOS}, doubles with every failed connect or refused handshake up
 * to {@link #MAX_BACKOFF_NANOS}, and starts again once a connection is fully accepted.
 */
final class LinkLifecycle {
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** What a request handed to the link meets. */
    enum Admission { WRITE, HOLD, CONNECT, FAIL }

    private LinkState state = LinkState.IDLE;
    private long backoffNanos = MIN_BACKOFF_NANOS;

    LinkState state() {
        return state;
    }

    /** What a request handed over at {@code nowNanos} meets; on {@link Admission#FAIL}, {@link #failure} says why. */
    Admission admit(long nowNanos) {
        LinkState s = state;
        if (s == LinkState.READY) return Admission.WRITE;
        if (s == LinkState.CONNECTING) return Admission.HOLD;
        if (s == LinkState.IDLE) return Admission.CONNECT;
        if (s instanceof LinkState.BackingOff b && nowNanos - b.retryAtNanos() >= 0) return Admission.CONNECT;
        return Admission.FAIL;
    }

    /** Why a request fails now, or null when the link takes requests. */
    String failure() {
        LinkState s = state;
        if (s instanceof LinkState.BackingOff b) return b.reason();
        if (s instanceof LinkState.Closing c) return c.reason();
        if (s instanceof LinkState.Closed c) return c.reason();
        return null;
    }

    /** A connect may start: from idle, or from a backoff (a request after its end, or preconnect). */
    boolean startConnect() {
        if (state != LinkState.IDLE && !(state instanceof LinkState.BackingOff)) return false;
        state = LinkState.CONNECTING;
        return true;
    }

    /**
     * The connect succeeded. Returns false when the link was shut down meanwhile: the caller closes the new
     * connection. {@code handshaking} when the protocol's handshake must be accepted before the backoff resets.
     */
    boolean connected(boolean handshaking) {
        if (state != LinkState.CONNECTING) return false;
        state = LinkState.READY;
        if (!handshaking) backoffNanos = MIN_BACKOFF_NANOS;
        return true;
    }

    /** The server accepted the whole handshake: the connection counts as good. */
    void handshakeAccepted() {
        backoffNanos = MIN_BACKOFF_NANOS;
    }

    /** The connect failed; returns the reason the requests held for it fail with. */
    String connectFailed(String reason, long nowNanos) {
        if (state instanceof LinkState.Closed c) return c.reason();
        backOff(reason, nowNanos);
        return reason;
    }

    /** The open connection is to be closed for {@code reason}; the first reason given wins. */
    void closing(String reason) {
        if (state == LinkState.READY) state = new LinkState.Closing(reason, false);
    }

    /** The server refused the handshake: close, and back off rather than reconnect at once. */
    void handshakeRefused(String reason) {
        if (state == LinkState.READY) {
            state = new LinkState.Closing(reason, true);
        } else if (state instanceof LinkState.Closing c && !c.backOff()) {
            state = new LinkState.Closing(c.reason(), true);
        }
    }

    /**
     * The open connection has gone; returns the reason its waiters fail with, or null when no connection was open
     * (the event belongs to no connection of this link's current life).
     */
    String disconnected(long nowNanos) {
        LinkState s = state;
        if (s == LinkState.READY) {
            state = LinkState.IDLE;
            return FailureReasons.CONNECTION_CLOSED;
        }
        if (s instanceof LinkState.Closing c) {
            if (c.backOff()) {
                backOff(c.reason(), nowNanos);
            } else {
                state = LinkState.IDLE;
            }
            return c.reason();
        }
        if (s instanceof LinkState.Closed c) return c.reason();
        return null;
    }

    /** Ends the link's life: nothing connects again and everything fails with {@code reason}. */
    void shutdown(String reason) {
        if (!(state instanceof LinkState.Closed)) state = new LinkState.Closed(reason);
    }

    boolean isShutDown() {
        return state instanceof LinkState.Closed;
    }

    /** Whether what the connection still reads must be dropped, because it is being closed. */
    boolean dropsReads() {
        return state instanceof LinkState.Closing || state instanceof LinkState.Closed;
    }

    private void backOff(String reason, long nowNanos) {
        state = new LinkState.BackingOff(reason, nowNanos + backoffNanos);
        backoffNanos = Math.min(backoffNanos * 2, MAX_BACKOFF_NANOS);
    }
}
