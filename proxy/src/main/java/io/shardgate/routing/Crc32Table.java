package io.shardgate.routing;

/** The reflected CRC-32 table (polynomial 0xEDB88320) both crc32 variants share. */
final class Crc32Table {
    static final int[] TABLE = table();

    private Crc32Table() {}

    private static int[] table() {
        int[] table = new int[256];
        for (int n = 0; n < 256; n++) {
            int crc = n;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xEDB88320 : crc >>> 1;
            }
            table[n] = crc;
        }
        return table;
    }

    /** The standard CRC-32 register after {@code bytes}, before the final inversion. */
    static int register(byte[] bytes, int offset, int length) {
        int crc = ~0;
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xff];
        }
        return crc;
    }
}
