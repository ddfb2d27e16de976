package io.shardgate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The twelve key hashes nutcracker offers, under the names its config uses. */
public enum HashKind {
    ONE_AT_A_TIME,
    MD5,
    CRC16,
    CRC32,
    CRC32A,
    FNV1_64,
    FNV1A_64,
    FNV1_32,
    FNV1A_32,
    HSIEH,
    MURMUR,
    JENKINS;

    /** The name as written in a nutcracker config file, e.g. {@code fnv1a_64}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HashKind> byConfigName(String name) {
        return Arrays.stream(values()).filter(h -> h.configName().equals(name)).findFirst();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(HashKind::configName).collect(Collectors.joining(", "));
    }
}
