package io.shardgate.stats;

import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the status page's report: rates and latency quantiles from the difference of two snapshots of the
 * {@link StatusHistory}, each server's state from its pool's health as it is now, and the process's facts.
 */
final class StatusReporter {
    private StatusReporter() {}

    static StatusReport report(StatusHistory.Window w, ProcessInfo info, long startedAtMillis, long sampleIntervalMs,
            long nowMillis, StatusReport.Memory memory) {
        StatsSnapshot latest = w.latest().snapshot();
        long windowNanos = w.latest().nanos() - w.rateBase().nanos();
        double seconds = windowNanos / 1e9;
        List<StatusReport.Pool> pools = new ArrayList<>(latest.pools().size());
        for (int p = 0; p < latest.pools().size(); p++) {
            pools.add(pool(latest.views().get(p), latest.pools().get(p), w.rateBase().snapshot().pools().get(p),
                    w.oldest().snapshot().pools().get(p), w.trails().get(p), seconds));
        }
        ConfigStatus.State config = info.config().state();
        ConfigStatus.Reload reload = config.lastReload();
        StatusReport.Process process = new StatusReport.Process("shardgate", latest.version(), latest.source(),
                ProcessHandle.current().pid(), startedAtMillis, latest.uptimeSeconds(), nowMillis, w.latest().millis(),
                sampleIntervalMs, windowNanos / 1_000_000, latest.workers(), latest.workersAnswered(), info.transport(),
                new StatusReport.Config(config.file(), config.digest(), config.loadedAtMillis(),
                        reload == null ? null : new StatusReport.Reload(reload.atMillis(), reload.ok(), reload.error())),
                memory, latest.currConnections(), latest.totalConnections());
        return new StatusReport(process, List.copyOf(pools));
    }

    private static StatusReport.Pool pool(PoolView view, PoolSample now, PoolSample base, PoolSample oldest,
            List<StatusHistory.Trail> trails, double seconds) {
        PoolConfig config = view.config();
        List<StatusReport.Server> servers = new ArrayList<>(now.servers().size());
        int up = 0;
        int failing = 0;
        int ejected = 0;
        for (int s = 0; s < now.servers().size(); s++) {
            StatusReport.Server server = server(config.servers().get(s), view.health().apply(s), now.servers().get(s),
                    base.servers().get(s), oldest.servers().get(s), trails.get(s), seconds);
            switch (server.state()) {
                case StatusReport.EJECTED -> ejected++;
                case StatusReport.FAILING -> failing++;
                default -> up++;
            }
            servers.add(server);
        }
        return new StatusReport.Pool(config.name(), config.listen().toString(), config.redis() ? "redis" : "memcache",
                config.hash().configName(), config.distribution().configName(), config.hashTag(),
                config.autoEjectHosts(), config.serverFailureLimit(), config.serverRetryTimeoutMs(),
                config.failurePolicy().ejectPolicy().configName(), now.get(Stat.CLIENT_CONNECTIONS),
                rate(sum(now.commands()) - sum(base.commands()), seconds),
                rate(now.get(Stat.FORWARD_ERROR) - base.get(Stat.FORWARD_ERROR), seconds), up, failing, ejected,
                List.copyOf(servers));
    }

    private static StatusReport.Server server(ServerConfig config, ServerHealth health, ServerSample now,
            ServerSample base, ServerSample oldest, StatusHistory.Trail trail, double seconds) {
        long recentFailures = Math.max(0, StatusHistory.failures(now) - StatusHistory.failures(oldest));
        String state = health.ejected() ? StatusReport.EJECTED
                : health.consecutiveFailures() > 0 || recentFailures > 0 ? StatusReport.FAILING : StatusReport.UP;
        long[] latency = new long[Latency.BUCKETS];
        for (int i = 0; i < latency.length; i++) latency[i] = Math.max(0, now.latency()[i] - base.latency()[i]);
        long ejectedAtMicros = now.get(Stat.SERVER_EJECTED_AT);
        return new StatusReport.Server(config.statsName(), config.address(), config.weight(), state,
                health.ejected() ? health.ejectedAtMillis() : null, health.ejected() ? health.retryAtMillis() : null,
                ejectedAtMicros > 0 ? ejectedAtMicros / 1000 : null, StatusHistory.failures(now), recentFailures,
                health.consecutiveFailures(), now.get(Stat.IN_QUEUE) + now.get(Stat.OUT_QUEUE),
                now.get(Stat.SERVER_CONNECTIONS), rate(now.get(Stat.REQUESTS) - base.get(Stat.REQUESTS), seconds),
                quantile(latency, 0.50, seconds), quantile(latency, 0.99, seconds),
                new StatusReport.History(StatusHistory.STEP_NANOS / 1_000_000_000L, round(trail.requestsPerSecond()),
                        trail.failures(), trail.ejected()));
    }

    /** Per second over the window, to one decimal; null before there is a window. */
    private static Double rate(long delta, double seconds) {
        if (seconds <= 0) return null;
        return Math.round(Math.max(0, delta) / seconds * 10) / 10.0;
    }

    private static Double quantile(long[] counts, double q, double seconds) {
        if (seconds <= 0) return null;
        double micros = Latency.quantileMicros(counts, q);
        return Double.isNaN(micros) ? null : Math.round(micros * 10) / 10.0;
    }

    private static double[] round(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = Math.round(values[i] * 10) / 10.0;
        return out;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) total += v;
        return total;
    }
}
