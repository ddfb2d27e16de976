package io.shardgate.config;

import java.nio.file.Path;
import java.util.List;

/** A whole validated config file: its pools in file order. */
public record ProxyConfig(Path source, List<PoolConfig> pools) {
    public ProxyConfig {
        pools = List.copyOf(pools);
    }
}
