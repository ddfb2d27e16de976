package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * The reply a split request's merge assembles from pieces of its parts' replies: a small one is copied into one
 * buffer, a large one is a composite of retained slices, so large values are never copied.
 */
public final class MergedReply {
    /**
     * Merged replies of at most this many bytes are copied. A composite costs, per piece, a retained slice and a
     * component, and when the transport writes it a {@code ByteBuffer} per component and a gathering write; for
     * the many small values of a typical multi-key get that costs more than copying them, while copying 32 KiB is
     * a few microseconds at most. 32 KiB is also the largest size the pooled allocator's per-thread caches keep
     * by default ({@code maxCachedBufferCapacity}), so the copy's buffer is a cheap, lock-free allocation.
     */
    public static final int COPY_LIMIT = 32 * 1024;

    private MergedReply() {}

    /**
     * An empty merged reply of {@code size} bytes: a direct buffer of exactly that size when it is at most
     * {@link #COPY_LIMIT}, else a composite of up to {@code pieces} components. The caller owns it.
     */
    public static ByteBuf allocate(ByteBufAllocator alloc, int size, int pieces) {
        return size <= COPY_LIMIT ? alloc.directBuffer(size) : alloc.compositeDirectBuffer(Math.max(1, pieces));
    }

    /** Appends {@code length} bytes of {@code from} at {@code offset}: copied, or as a retained slice of it. */
    public static void append(ByteBuf merged, ByteBuf from, int offset, int length) {
        if (merged instanceof CompositeByteBuf composite) {
            composite.addComponent(true, from.retainedSlice(offset, length));
        } else {
            merged.writeBytes(from, offset, length);
        }
    }
}
