package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** nutcracker's {@code md5} key hash: the first four digest bytes as a little-endian uint32. */
final class Md5Hash implements KeyHash {
    static final Md5Hash INSTANCE = new Md5Hash();

    private Md5Hash() {}

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        return Md5.digest(bytes, offset, length, null);
    }

    @Override
    public HashKind kind() {
        return HashKind.MD5;
    }
}
