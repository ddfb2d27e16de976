package io.shardgate.stats;

import java.util.List;

/**
 * Every stat of the proxy at one moment, merged over all workers: what the stats port and {@code /metrics} show.
 *
 * @param ejected per pool, per server: ejected from the distribution when the snapshot was taken
 */
public record StatsSnapshot(
        String source,
        String version,
        long uptimeSeconds,
        long timestampSeconds,
        long totalConnections,
        long currConnections,
        List<PoolView> views,
        List<PoolSample> pools,
        List<boolean[]> ejected,
        int workersAnswered,
        int workers) {

    public PoolSample pool(String name) {
        for (PoolSample p : pools) {
            if (p.name().equals(name)) return p;
        }
        throw new IllegalArgumentException("no pool " + name);
    }

    public long get(Stat stat) {
        return switch (stat) {
            case UPTIME -> uptimeSeconds;
            case TIMESTAMP -> timestampSeconds;
            case TOTAL_CONNECTIONS -> totalConnections;
            case CURR_CONNECTIONS -> currConnections;
            default -> throw new IllegalArgumentException(stat + " is not a process stat");
        };
    }
}
