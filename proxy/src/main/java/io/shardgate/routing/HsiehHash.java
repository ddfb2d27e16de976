package io.shardgate.routing;

import io.shardgate.config.HashKind;
/**
 * Paul Hsieh's SuperFastHash as nutcracker builds it on x86-64 (16-bit reads little-endian, unsigned). One quirk is
 * kept: for a 3-byte tail the last byte is read as a signed {@code char}, so it is sign-extended before the shift.
 */
final class HsiehHash implements KeyHash {
    static final HsiehHash INSTANCE = new HsiehHash();

    private HsiehHash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        if (length <= 0) return 0;
        int hash = 0;
        int p = offset;
        for (int blocks = length >>> 2; blocks > 0; blocks--) {
            hash += LittleEndian.u16(bytes, p);
            int tmp = (LittleEndian.u16(bytes, p + 2) << 11) ^ hash;
            hash = (hash << 16) ^ tmp;
            p += 4;
            hash += hash >>> 11;
        }
        switch (length & 3) {
            case 3 -> {
                hash += LittleEndian.u16(bytes, p);
                hash ^= hash << 16;
                hash ^= bytes[p + 2] << 18; // signed char in nutcracker
                hash += hash >>> 11;
            }
            case 2 -> {
                hash += LittleEndian.u16(bytes, p);
                hash ^= hash << 11;
                hash += hash >>> 17;
            }
            case 1 -> {
                hash += bytes[p] & 0xff;
                hash ^= hash << 10;
                hash += hash >>> 1;
            }
            default -> { }
        }
        hash ^= hash << 3;
        hash += hash >>> 5;
        hash ^= hash << 4;
        hash += hash >>> 17;
        hash ^= hash << 25;
        hash += hash >>> 6;
        return hash;
    }

    @Override
    public HashKind kind() {
        return HashKind.HSIEH;
    }
}
