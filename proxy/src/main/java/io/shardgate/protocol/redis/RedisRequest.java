package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.KeyedRequest;

/**
 * One validated request to forward. {@code frame} holds the request as RESP: a retained slice of exactly what the
 * client sent for a multi-bulk request, or the RESP form of an inline command. Argument offsets are into the
 * frame. The keys are at {@link #keyArg}. Reused through its decoder's {@link Pool}.
 */
final class RedisRequest implements KeyedRequest {
    private final Pool pool;
    RedisCommand command;
    ByteBuf frame;
    int argc;
    /** Offset and length of each argument's bytes in the frame; kept (and grown) across reuses. */
    private int[] args = new int[8];
    /** A key before the others (ZUNIONSTORE's destination), or -1. */
    private int destKey;
    private int keyFirst;
    /** The argument after the last key. */
    private int keyEnd;
    private int keyStep;

    private RedisRequest(Pool pool) {
        this.pool = pool;
    }

    int argOffset(int i) {
        return args[2 * i];
    }

    int argLength(int i) {
        return args[2 * i + 1];
    }

    @Override
    public ByteBuf frame() {
        return frame;
    }

    @Override
    public int keyOffset(int k) {
        return argOffset(keyArg(k));
    }

    @Override
    public int keyLength(int k) {
        return argLength(keyArg(k));
    }

    @Override
    public int keyCount() {
        return (destKey >= 0 ? 1 : 0) + (keyEnd - keyFirst + keyStep - 1) / keyStep;
    }

    /** The argument index of key {@code k}, in the order the client gave them. */
    int keyArg(int k) {
        if (destKey >= 0) {
            if (k == 0) return destKey;
            k--;
        }
        return keyFirst + k * keyStep;
    }

    /** Arguments per key for a split command: 1, or 2 for MSET's key and value. */
    int keyStep() {
        return keyStep;
    }

    /** Returns this request to its decoder's pool. The caller must not touch it afterwards. */
    @Override
    public void recycle() {
        frame = null;
        pool.giveBack(this);
    }

    /**
     * A decoder's spare requests, so the steady state allocates none: the protocol recycles a request once it has
     * been forwarded or answered (a split MGET once merged). Used on its channel's event loop only.
     */
    static final class Pool {
        private static final int MAX_SPARE = 16;
        /** Argument arrays larger than this are not kept for reuse (a huge MSET's must not stay around). */
        private static final int MAX_KEPT_ARGS = 2 * 256;
        private final java.util.ArrayDeque<RedisRequest> spare = new java.util.ArrayDeque<>();

        /** A request of {@code argc} arguments at {@code args} (offset, length pairs, copied). */
        RedisRequest take(RedisCommand command, ByteBuf frame, int argc, int[] args, int destKey, int keyFirst,
                int keyEnd, int keyStep) {
            RedisRequest r = spare.pollLast();
            if (r == null) r = new RedisRequest(this);
            if (r.args.length < 2 * argc) r.args = new int[2 * argc];
            System.arraycopy(args, 0, r.args, 0, 2 * argc);
            r.command = command;
            r.frame = frame;
            r.argc = argc;
            r.destKey = destKey;
            r.keyFirst = keyFirst;
            r.keyEnd = keyEnd;
            r.keyStep = keyStep;
            return r;
        }

        private void giveBack(RedisRequest r) {
            if (spare.size() < MAX_SPARE && r.args.length <= MAX_KEPT_ARGS) spare.addLast(r);
        }
    }
}
