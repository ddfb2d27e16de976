package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** nutcracker's {@code crc32a}: the standard CRC-32 (as zlib / java.util.zip.CRC32). */
final class Crc32aHash implements KeyHash {
    static final Crc32aHash INSTANCE = new Crc32aHash();

    private Crc32aHash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        return ~Crc32Table.register(bytes, offset, length);
    }

    @Override
    public HashKind kind() {
        return HashKind.CRC32A;
    }
}
