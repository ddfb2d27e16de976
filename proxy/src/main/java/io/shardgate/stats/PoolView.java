package io.shardgate.stats;

import io.shardgate.config.PoolConfig;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What the stats need to know about a pool besides its counters: its config, the names of its protocol's
 * commands (for per-command counts) and whether each server is ejected now.
 */
public record PoolView(PoolConfig config, List<String> commandNames, IntPredicate isEjected) {
    public PoolView {
        commandNames = List.copyOf(commandNames);
    }
}
