package io.shardgate.routing;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * A per-thread byte array that direct and composite buffers are copied into before hashing. It grows to the longest
 * key a thread has seen (memcached keys are at most 250 bytes), so after warm-up hashing allocates nothing. Keys
 * longer than {@link #MAX_KEPT} get a throw-away array rather than pinning a large one per thread.
 */
final class KeyScratch {
    static final int MAX_KEPT = 64 * 1024;

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[512];
        }
    };

    private KeyScratch() {}

    static byte[] forLength(int length) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length >= length) return scratch;
        if (length > MAX_KEPT) return new byte[length];
        scratch = new byte[Math.max(length, Math.min(MAX_KEPT, scratch.length * 2))];
        SCRATCH.set(scratch);
        return scratch;
    }
}
