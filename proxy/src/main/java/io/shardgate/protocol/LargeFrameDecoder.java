package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The base of the decoders and framers (client requests, server replies): how bytes that arrive in several reads
 * are put together. Netty's default copies every new
 * read into the bytes held so far, which costs nothing much for small replies but copies a large value a second
 * time (a 100 KiB value arrives in two or more reads). So while the frame in progress is large (the framer said so
 * with {@link #awaiting}, or more than {@link #LARGE} bytes of it are held), a read is appended as a component,
 * without copying; otherwise it is merged, so the small frames of a busy connection stay plain contiguous slices
 * (cheap to scan and to write).
 */
public abstract class LargeFrameDecoder extends ByteToMessageDecoder {
    /** A frame this large or larger is put together without copying. */
    public static final int LARGE = 16 * 1024;

    private long awaited;

    protected LargeFrameDecoder() {
        setCumulator(this::cumulate);
    }

    /**
     * Tells how many more bytes the frame in progress needs at least (when a framer knows, e.g. from a value's
     * declared length); 0 when none or unknown. Read when the next bytes arrive.
     */
    protected final void awaiting(long bytes) {
        awaited = bytes;
    }

    private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        boolean large = awaited >= LARGE || cumulation.readableBytes() >= LARGE;
        return (large ? COMPOSITE_CUMULATOR : MERGE_CUMULATOR).cumulate(alloc, cumulation, in);
    }
}
