package io.shardgate.stats;

import io.shardgate.config.PoolConfig;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the stats need to know about a pool besides its counters: its config, the names of its protocol's
 * commands (for per-command counts) and each server's health now.
 */
public record PoolView(PoolConfig config, List<String> commandNames, IntFunction<ServerHealth> health) {
    public PoolView {
        commandNames = List.copyOf(commandNames);
    }

    /** True while server {@code server} is out of service (see {@link ServerHealth#ejected()}). */
    public boolean isEjected(int server) {
        return health.apply(server).ejected();
    }
}
