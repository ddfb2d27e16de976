package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** FNV-1a, 32 bits; bytes XORed sign-extended, as nutcracker's signed {@code char}. */
final class Fnv1a_32Hash implements KeyHash {
    static final Fnv1a_32Hash INSTANCE = new Fnv1a_32Hash();

    private Fnv1a_32Hash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        int hash = Fnv1_32Hash.OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash ^= bytes[i];
            hash *= Fnv1_32Hash.PRIME;
        }
        return hash;
    }

    @Override
    public HashKind kind() {
        return HashKind.FNV1A_32;
    }
}
