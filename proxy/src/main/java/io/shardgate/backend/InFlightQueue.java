package io.shardgate.backend;

import io.shardgate.protocol.ReplyWaiter;
import java.util.Arrays;

/**
 * The waiters of one backend connection in the order their requests were written, each with the time it was
 * written and its size for the stats. A ring of parallel arrays: no allocation per request, and the oldest
 * request's age (all a timeout check needs, since replies come in order) is one array read.
 */
final class InFlightQueue {
    static final int UNCOUNTED = -1;

    private ReplyWaiter[] waiters = new ReplyWaiter[64];
    private long[] sentAt = new long[64];
    /** The request's size as counted in the stats, or {@link #UNCOUNTED} for the proxy's own (handshakes). */
    private int[] bytes = new int[64];
    private int head;
    private int size;
    /** How many waiters were ever added: the next one's sequence number. */
    private long added;

    /** Adds a waiter; returns its sequence number, for {@link #notBefore}. */
    long add(ReplyWaiter waiter, long sentAtNanos, int requestBytes) {
        if (size == waiters.length) grow();
        int tail = (head + size) & (waiters.length - 1);
        waiters[tail] = waiter;
        sentAt[tail] = sentAtNanos;
        bytes[tail] = requestBytes;
        size++;
        return added++;
    }

    /**
     * Makes the request of sequence {@code seq} and every later one count as written no earlier than
     * {@code nanos}: for requests that could not be answered before a large write ahead of them had finished.
     */
    void notBefore(long seq, long nanos) {
        long first = added - size;
        for (long s = Math.max(seq, first); s < added; s++) {
            int i = (int) ((head + (s - first)) & (waiters.length - 1));
            if (sentAt[i] - nanos < 0) sentAt[i] = nanos;
        }
    }

    /** Removes and returns the oldest waiter, or null when none waits. */
    ReplyWaiter poll() {
        if (size == 0) return null;
        ReplyWaiter waiter = waiters[head];
        waiters[head] = null;
        head = (head + 1) & (waiters.length - 1);
        size--;
        return waiter;
    }

    /** The framing hint of the waiter {@code ahead} places after the oldest; null when it has none or isn't there. */
    Object framingHint(int ahead) {
        if (ahead < 0 || ahead >= size) return null;
        return waiters[(head + ahead) & (waiters.length - 1)].framingHint();
    }

    /** The oldest request's size as counted, or {@link #UNCOUNTED}; only meaningful when not empty. */
    int oldestBytes() {
        return bytes[head];
    }

    /** When the oldest request was written; only meaningful when not empty. */
    long oldestSentAt() {
        return sentAt[head];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    private void grow() {
        int n = waiters.length;
        ReplyWaiter[] w = new ReplyWaiter[n * 2];
        long[] t = new long[n * 2];
        int[] b = new int[n * 2];
        for (int i = 0; i < size; i++) {
            w[i] = waiters[(head + i) & (n - 1)];
            t[i] = sentAt[(head + i) & (n - 1)];
            b[i] = bytes[(head + i) & (n - 1)];
        }
        Arrays.fill(waiters, null);
        waiters = w;
        sentAt = t;
        bytes = b;
        head = 0;
    }
}
