/**
 * Stats and metrics: nutcracker's stats port, the live status page, Prometheus {@code /metrics}, {@code /health},
 * and a rate-limited logger for connection events.
 *
 * <p>Every stat is declared once in {@link io.shardgate.stats.Stat}. Each worker counts in its own
 * {@link io.shardgate.stats.PoolCounters} and {@link io.shardgate.stats.ServerCounters} with plain field updates on its
 * own thread. The {@link io.shardgate.stats.StatsAggregator} copies them by running a task on each worker's event
 * loop (so they are read on the thread that writes them, and handed over through the task's future) and adds the
 * copies up into a {@link io.shardgate.stats.StatsSnapshot}, which {@link io.shardgate.stats.NutcrackerJson} and
 * {@link io.shardgate.stats.PrometheusCollector} render.
 *
 * <p>The status page ({@link io.shardgate.stats.StatusPage}, on the {@link io.shardgate.stats.AdminServer}) has a
 * sampler of its own that takes such a snapshot once a second into a bounded
 * {@link io.shardgate.stats.StatusHistory}; {@link io.shardgate.stats.StatusReporter} turns the history, each
 * pool's {@link io.shardgate.stats.ServerHealth} and the process's {@link io.shardgate.stats.ProcessInfo} into the
 * {@link io.shardgate.stats.StatusReport} that {@code /status.json} serves. Nothing of it runs on a request.
 *
 * <p>Depends on config, routing and protocol; the backend and client sides count into it, and the server starts it.
 */
package io.shardgate.stats;
