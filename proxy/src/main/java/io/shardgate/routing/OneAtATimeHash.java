package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** Jenkins' one-at-a-time hash. nutcracker reads bytes as signed {@code char}, so bytes >= 0x80 add sign-extended. */
final class OneAtATimeHash implements KeyHash {
    static final OneAtATimeHash INSTANCE = new OneAtATimeHash();

    private OneAtATimeHash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        int value = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            value += bytes[i]; // sign-extended, as (uint32_t) of a signed char
            value += value << 10;
            value ^= value >>> 6;
        }
        value += value << 3;
        value ^= value >>> 11;
        value += value << 15;
        return value;
    }

    @Override
    public HashKind kind() {
        return HashKind.ONE_AT_A_TIME;
    }
}
