package io.shardgate.bench.load;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * What has been written under each key of a versioned run: the newest version sent, the newest acknowledged
 * ({@code STORED}, {@code +OK}) and the newest whose set failed (it may or may not have been stored, and may even land
 * after a newer one: a request that timed out on a closed connection can still be read by the server later). Shared
 * by every connection of a run; each key is written by one connection at a time, read by all.
 *
 * <p>A reply holding version {@code v} of key {@code k} is then plausible when {@code 1 <= v <= sent(k)} (it was
 * written), and fresh when {@code v} is at least the acknowledged version the get saw when it was sent, or is itself
 * a version whose set failed.
 */
public final class KeyVersions {
    /** Versions are four hex digits in a value's header. */
    public static final int MAX_VERSION = 0xffff;

    private final AtomicIntegerArray sent;
    private final AtomicIntegerArray acked;
    private final AtomicIntegerArray uncertain;
    /** {@code key << 16 | version} of every failed set: few, only during faults. */
    private final java.util.Set<Long> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public KeyVersions(int keys) {
        sent = new AtomicIntegerArray(keys);
        acked = new AtomicIntegerArray(keys);
        uncertain = new AtomicIntegerArray(keys);
    }

    public int size() {
        return sent.length();
    }

    /** The next version of {@code key}, counted as sent; -1 when the key has used up its versions. */
    public int next(int key) {
        int v = sent.incrementAndGet(key);
        if (v > MAX_VERSION) {
            sent.decrementAndGet(key);
            return -1;
        }
        return v;
    }

    public int sent(int key) {
        return sent.get(key);
    }

    public int acked(int key) {
        return acked.get(key);
    }

    public void acknowledged(int key, int version) {
        raise(acked, key, version);
    }

    /** A set of {@code version} failed: it may have been stored, now or later. */
    public void uncertain(int key, int version) {
        raise(uncertain, key, version);
        failed.add((long) key << 16 | version);
    }

    /** Whether {@code version} of {@code key} was ever sent. */
    public boolean written(int key, int version) {
        return version >= 1 && version <= sent.get(key);
    }

    /** Whether a get that saw {@code floor} acknowledged when it was sent may read {@code version}. */
    public boolean fresh(int key, int version, int floor) {
        return version >= floor || version <= uncertain.get(key) && failed.contains((long) key << 16 | version);
    }

    private static void raise(AtomicIntegerArray a, int key, int version) {
        int old;
        while ((old = a.get(key)) < version) {
            if (a.compareAndSet(key, old, version)) return;
        }
    }
}
