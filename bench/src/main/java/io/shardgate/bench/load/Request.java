package io.shardgate.bench.load;

/**
 * One request in flight on a connection: a preallocated slot reused for the connection's lifetime, holding what
 * was asked and the state of verifying its reply.
 */
public final class Request {
    public static final byte GET = 1;
    public static final byte SET = 2;

    byte kind;
    final int[] keys;
    int keyCount;
    /** For each requested key position: whether its value has arrived. */
    final boolean[] seen;
    int found;
    long sentNanos;
    /** The first error found, or null while the reply verifies. */
    ErrorKind error;

    public Request(int maxKeys) {
        this.keys = new int[maxKeys];
        this.seen = new boolean[maxKeys];
    }

    public Request get(int... keyIndexes) {
        kind = GET;
        System.arraycopy(keyIndexes, 0, keys, 0, keyIndexes.length);
        keyCount = keyIndexes.length;
        reset();
        return this;
    }

    public Request set(int key) {
        kind = SET;
        keys[0] = key;
        keyCount = 1;
        reset();
        return this;
    }

    void reset() {
        for (int i = 0; i < keyCount; i++) seen[i] = false;
        found = 0;
        error = null;
    }

    void fail(ErrorKind kind) {
        if (error == null) error = kind;
    }

    public byte kind() {
        return kind;
    }

    public int keyCount() {
        return keyCount;
    }

    public int key(int position) {
        return keys[position];
    }

    public ErrorKind error() {
        return error;
    }

    public long sentNanos() {
        return sentNanos;
    }
}
