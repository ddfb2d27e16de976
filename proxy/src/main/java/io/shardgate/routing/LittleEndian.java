package io.shardgate.routing;

/** Unaligned little-endian reads, as nutcracker's word-at-a-time hashes do on x86. */
final class LittleEndian {
    private LittleEndian() {}

    static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    static int u32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }
}
