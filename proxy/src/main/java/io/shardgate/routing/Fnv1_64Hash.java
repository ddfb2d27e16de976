package io.shardgate.routing;

import io.shardgate.config.HashKind;
/**
 * FNV-1 with the 64-bit offset basis and prime, truncated to its low 32 bits. nutcracker XORs each byte as a
 * sign-extended {@code char}, which changes the low 32 bits for bytes >= 0x80; Java's signed byte does the same.
 */
final class Fnv1_64Hash implements KeyHash {
    static final Fnv1_64Hash INSTANCE = new Fnv1_64Hash();
    static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    static final long PRIME = 0x100000001b3L;

    private Fnv1_64Hash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        long hash = OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash *= PRIME;
            hash ^= bytes[i];
        }
        return (int) hash;
    }

    @Override
    public HashKind kind() {
        return HashKind.FNV1_64;
    }
}
