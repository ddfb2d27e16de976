package io.shardgate.routing;

import io.shardgate.config.HashKind;
/**
 * nutcracker's {@code crc32}: the libmemcached-compatible variant, bits 16..30 of the standard CRC-32, so the value
 * is always below 0x8000. Kept for compatibility with libmemcached clients, not as a real CRC.
 */
final class Crc32Hash implements KeyHash {
    static final Crc32Hash INSTANCE = new Crc32Hash();

    private Crc32Hash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        return ((~Crc32Table.register(bytes, offset, length)) >>> 16) & 0x7fff;
    }

    @Override
    public HashKind kind() {
        return HashKind.CRC32;
    }
}
