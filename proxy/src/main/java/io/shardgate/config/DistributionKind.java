package io.shardgate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** nutcracker's key distributions, under the names its config uses. */
public enum DistributionKind {
    KETAMA,
    MODULA,
    RANDOM;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DistributionKind> byConfigName(String name) {
        return Arrays.stream(values()).filter(d -> d.configName().equals(name)).findFirst();
    }

    public static String validNames() {
        return Arrays.stream(values()).map(DistributionKind::configName).collect(Collectors.joining(", "));
    }
}
