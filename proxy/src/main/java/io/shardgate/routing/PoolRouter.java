package io.shardgate.routing;

import io.netty.buffer.ByteBuf;
import io.shardgate.config.PoolConfig;

/** TEMPORARY stand-in (fnv1a_32 modula) until the routing layer lands. */
public final class PoolRouter {
    private final int n;

    private PoolRouter(int n) {
        this.n = n;
    }

    public static PoolRouter forPool(PoolConfig pool) {
        return new PoolRouter(pool.servers().size());
    }

    public int serverFor(ByteBuf buf, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) h = (h ^ (buf.getByte(offset + i) & 0xff)) * 0x01000193;
        return (int) (Integer.toUnsignedLong(h) % n);
    }

    public int serverFor(byte[] key, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) h = (h ^ (key[offset + i] & 0xff)) * 0x01000193;
        return (int) (Integer.toUnsignedLong(h) % n);
    }
}
