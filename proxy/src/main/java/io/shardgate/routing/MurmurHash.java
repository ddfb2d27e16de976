package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** MurmurHash2 as libmemcached and nutcracker use it: seed = 0xdeadbeef * length, little-endian unsigned words. */
final class MurmurHash implements KeyHash {
    static final MurmurHash INSTANCE = new MurmurHash();
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private MurmurHash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        int h = (0xdeadbeef * length) ^ length;
        int p = offset;
        int remaining = length;
        while (remaining >= 4) {
            int k = LittleEndian.u32(bytes, p);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
            p += 4;
            remaining -= 4;
        }
        switch (remaining) {
            case 3:
                h ^= (bytes[p + 2] & 0xff) << 16;
                // fall through
            case 2:
                h ^= (bytes[p + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= bytes[p] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    @Override
    public HashKind kind() {
        return HashKind.MURMUR;
    }
}
