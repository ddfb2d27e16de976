package io.shardgate.routing;

import io.shardgate.config.HashKind;
/** Looks up the {@link KeyHash} for a {@link HashKind} or a config name. */
public final class KeyHashes {
    private KeyHashes() {}

    public static KeyHash of(HashKind kind) {
        return switch (kind) {
            case ONE_AT_A_TIME -> OneAtATimeHash.INSTANCE;
            case MD5 -> Md5Hash.INSTANCE;
            case CRC16 -> Crc16Hash.INSTANCE;
            case CRC32 -> Crc32Hash.INSTANCE;
            case CRC32A -> Crc32aHash.INSTANCE;
            case FNV1_64 -> Fnv1_64Hash.INSTANCE;
            case FNV1A_64 -> Fnv1a_64Hash.INSTANCE;
            case FNV1_32 -> Fnv1_32Hash.INSTANCE;
            case FNV1A_32 -> Fnv1a_32Hash.INSTANCE;
            case HSIEH -> HsiehHash.INSTANCE;
            case MURMUR -> MurmurHash.INSTANCE;
            case JENKINS -> JenkinsHash.INSTANCE;
        };
    }

    /**
     * The hash a config names, e.g. {@code "murmur"}.
     *
     * @throws IllegalArgumentException naming the bad value and listing the valid names
     */
    public static KeyHash byConfigName(String name) {
        return HashKind.byConfigName(name).map(KeyHashes::of).orElseThrow(() -> new IllegalArgumentException(
                "unknown hash '" + name + "'; valid hashes: " + HashKind.validNames()));
    }
}
