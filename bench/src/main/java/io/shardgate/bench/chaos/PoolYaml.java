package io.shardgate.bench.chaos;

import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.PoolConfig;
import io.shardgate.routing.PoolRouter;
import java.nio.file.Path;
import java.util.List;

/** A pool of a run's config, written as nutcracker YAML, and its key placement. */
public record PoolYaml(String name, boolean redis, int listenPort, int timeoutMs, List<Integer> serverPorts) {
    public String yaml() {
        StringBuilder b = new StringBuilder();
        b.append(name).append(":\n")
                .append("  listen: 127.0.0.1:").append(listenPort).append('\n')
                .append("  hash: fnv1a_64\n  distribution: ketama\n")
                .append("  timeout: ").append(timeoutMs).append('\n')
                .append("  redis: ").append(redis).append('\n')
                .append("  auto_eject_hosts: false\n")
                .append("  servers:\n");
        for (int port : serverPorts) b.append("   - 127.0.0.1:").append(port).append(":1\n");
        return b.toString();
    }

    public static String yaml(List<PoolYaml> pools) {
        StringBuilder b = new StringBuilder();
        for (PoolYaml p : pools) b.append(p.yaml());
        return b.toString();
    }

    /** The pool as the proxy reads it, through the real config loader. */
    public PoolConfig config() {
        try {
            return ConfigLoader.parse(yaml(), Path.of(name + ".yml")).pools().get(0);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Where the proxy places keys, exactly as it does. */
    public PoolRouter router() {
        return PoolRouter.forPool(config());
    }
}
