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
    /** The version a set writes; {@link #SPEC_VERSION} for the value spec's own. */
    int version = SPEC_VERSION;
    /**
     * For a get of versioned values: per key position, the newest version acknowledged before the get was sent;
     * an older one in the reply is stale.
     */
    final int[] floors;
    /** The first error found, or null while the reply verifies. */
    ErrorKind error;
    /** The server's error line (without CRLF) when {@link #error} is {@link ErrorKind#SERVER_ERROR}. */
    String errorText;

    public static final int SPEC_VERSION = -1;

    public Request(int maxKeys) {
        this.keys = new int[maxKeys];
        this.seen = new boolean[maxKeys];
        this.floors = new int[maxKeys];
    }

    public Request get(int... keyIndexes) {
        kind = GET;
        System.arraycopy(keyIndexes, 0, keys, 0, keyIndexes.length);
        keyCount = keyIndexes.length;
        reset();
        return this;
    }

    public Request set(int key) {
        return set(key, SPEC_VERSION);
    }

    /** A set of version {@code version} of the key's value. */
    public Request set(int key, int version) {
        kind = SET;
        keys[0] = key;
        keyCount = 1;
        this.version = version;
        reset();
        return this;
    }

    /** Sets the oldest version a get may see for the key at {@code position} (versioned values only). */
    public void floor(int position, int version) {
        floors[position] = version;
    }

    void reset() {
        for (int i = 0; i < keyCount; i++) {
            seen[i] = false;
            floors[i] = 0;
        }
        found = 0;
        error = null;
        errorText = null;
        if (kind == GET) version = SPEC_VERSION;
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

    public String errorText() {
        return errorText;
    }

    /** The version a set wrote, or {@link #SPEC_VERSION}. */
    public int version() {
        return version;
    }

    /** Whether the key at {@code position} had a value in the reply of this get. */
    public boolean seen(int position) {
        return seen[position];
    }

    public long sentNanos() {
        return sentNanos;
    }

    /** Marks the request sent at {@code nanos} ({@link System#nanoTime()}), as a connection does when it writes it. */
    public Request sentAt(long nanos) {
        sentNanos = nanos;
        return this;
    }
}
