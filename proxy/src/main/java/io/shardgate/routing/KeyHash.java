package io.shardgate.routing;

import io.shardgate.config.HashKind;
import io.netty.buffer.ByteBuf;

/**
 * One of nutcracker's key hashes. The result is nutcracker's {@code uint32_t} carried in a Java {@code int}: the
 * same 32 bits, so compare with {@link Integer#compareUnsigned} and reduce with {@link Integer#remainderUnsigned},
 * never with the signed operators. Implementations are stateless singletons and allocate nothing per call.
 */
public interface KeyHash {

    /** Hashes {@code length} bytes of {@code bytes} starting at {@code offset}. */
    int hash(byte[] bytes, int offset, int length);

    /**
     * Hashes {@code length} bytes of {@code buf} starting at the absolute index {@code index} (like
     * {@link ByteBuf#getByte(int)}); reader and writer indexes are untouched. Heap buffers are read in place; other
     * buffers are copied into a per-thread scratch array first, so every algorithm has one array-based body.
     */
    default int hash(ByteBuf buf, int index, int length) {
        if (buf.hasArray()) {
            return hash(buf.array(), buf.arrayOffset() + index, length);
        }
        byte[] scratch = KeyScratch.forLength(length);
        buf.getBytes(index, scratch, 0, length);
        return hash(scratch, 0, length);
    }

    /** The config name of this hash, e.g. {@code fnv1a_64}. */
    HashKind kind();
}
