package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.KeyedRequest;
import java.util.ArrayDeque;

/**
 * One validated text request. {@code frame} is a retained slice of exactly the bytes the client sent (command
 * line and data block), forwarded as is unless a multi-key retrieval has to be split. Offsets are into the frame.
 *
 * <p>Requests are reused: each decoder keeps a few ({@link Pool}), and the protocol hands one back with
 * {@link #recycle} once it has been forwarded or answered and nothing reads it any more, so the steady state
 * allocates no request objects (a split multi-key get is recycled once merged).
 */
final class McRequest implements KeyedRequest, MemcacheRequest {
    private final Pool pool;
    McCommand command;
    ByteBuf frame;
    boolean noreply;
    /** The first (usually only) key, kept in fields so a single-key request needs no array. */
    private int key0Offset;
    private int key0Length;
    /** Key offset and length pairs in the client's order, when there are several keys; else null. */
    private int[] keys;
    /** The array {@link #keys} uses, kept across reuses (unless large) so multi-key requests allocate none. */
    private int[] keyArray = NO_KEYS;
    private static final int[] NO_KEYS = new int[0];
    private static final int MAX_KEPT_KEYS = 2 * 128;
    int keyCount;
    /** The exptime argument of gat/gats (offset, length), needed to build their per-server parts. */
    int argOffset;
    int argLength;

    private McRequest(Pool pool) {
        this.pool = pool;
    }

    @Override
    public ByteBuf frame() {
        return frame;
    }

    @Override
    public int keyCount() {
        return keyCount;
    }

    @Override
    public int keyOffset(int i) {
        return i == 0 ? key0Offset : keys[2 * i];
    }

    @Override
    public int keyLength(int i) {
        return i == 0 ? key0Length : keys[2 * i + 1];
    }

    /** Returns this request to its decoder's pool. The caller must not touch it afterwards. */
    @Override
    public void recycle() {
        frame = null;
        keys = null;
        if (keyArray.length > MAX_KEPT_KEYS) keyArray = NO_KEYS;
        pool.giveBack(this);
    }

    /** A decoder's spare requests. Used on its channel's event loop only. */
    static final class Pool {
        /** Enough for the requests of one read in a pipelined stream; the rest are garbage-collected. */
        private static final int MAX_SPARE = 16;
        private final ArrayDeque<McRequest> spare = new ArrayDeque<>();

        /** A request of several keys ({@code keys} holds offset and length pairs, copied) or of none. */
        McRequest multi(McCommand command, ByteBuf frame, boolean noreply, int[] keys, int keyCount, int argOffset,
                int argLength) {
            McRequest r = take();
            r.set(command, frame, noreply, keyCount > 0 ? keys[0] : 0, keyCount > 0 ? keys[1] : 0, argOffset, argLength);
            if (keyCount > 1) {
                if (r.keyArray.length < 2 * keyCount) r.keyArray = new int[2 * keyCount];
                System.arraycopy(keys, 0, r.keyArray, 0, 2 * keyCount);
                r.keys = r.keyArray;
            } else {
                r.keys = null;
            }
            r.keyCount = keyCount;
            return r;
        }

        /** A request of one key: no array. */
        McRequest single(McCommand command, ByteBuf frame, boolean noreply, int keyOffset, int keyLength, int argOffset,
                int argLength) {
            McRequest r = take();
            r.set(command, frame, noreply, keyOffset, keyLength, argOffset, argLength);
            r.keys = null;
            r.keyCount = 1;
            return r;
        }

        private McRequest take() {
            McRequest r = spare.pollLast();
            return r != null ? r : new McRequest(this);
        }

        private void giveBack(McRequest r) {
            if (spare.size() < MAX_SPARE) spare.addLast(r);
        }
    }

    private void set(McCommand command, ByteBuf frame, boolean noreply, int key0Offset, int key0Length, int argOffset,
            int argLength) {
        this.command = command;
        this.frame = frame;
        this.noreply = noreply;
        this.key0Offset = key0Offset;
        this.key0Length = key0Length;
        this.argOffset = argOffset;
        this.argLength = argLength;
    }
}
