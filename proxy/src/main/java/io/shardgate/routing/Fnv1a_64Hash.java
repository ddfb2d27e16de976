package io.shardgate.routing;

import io.shardgate.config.HashKind;
/**
 * nutcracker's default hash, {@code fnv1a_64}. Despite the name it runs in 32 bits: the 64-bit offset basis and
 * prime are each truncated to their low 32 bits (0x84222325 and 0x1b3), which is not real FNV-1a 64 but is what
 * decides placement. Bytes are XORed sign-extended, as nutcracker's signed {@code char}.
 */
final class Fnv1a_64Hash implements KeyHash {
    static final Fnv1a_64Hash INSTANCE = new Fnv1a_64Hash();
    private static final int OFFSET_BASIS = (int) Fnv1_64Hash.OFFSET_BASIS;
    private static final int PRIME = (int) Fnv1_64Hash.PRIME;

    private Fnv1a_64Hash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        int hash = OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash ^= bytes[i];
            hash *= PRIME;
        }
        return hash;
    }

    @Override
    public HashKind kind() {
        return HashKind.FNV1A_64;
    }
}
