package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** FNV-1, 32 bits; bytes XORed sign-extended, as nutcracker's signed {@code char}. */
final class Fnv1_32Hash implements KeyHash {
    static final Fnv1_32Hash INSTANCE = new Fnv1_32Hash();
    static final int OFFSET_BASIS = 0x811c9dc5;
    static final int PRIME = 16777619;

    private Fnv1_32Hash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        int hash = OFFSET_BASIS;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash *= PRIME;
            hash ^= bytes[i];
        }
        return hash;
    }

    @Override
    public HashKind kind() {
        return HashKind.FNV1_32;
    }
}
