package io.shardgate.stats;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy's stats as Prometheus metrics, built at each scrape from a fresh {@link StatsAggregator#collect()}:
 * every {@link Stat} (labelled by pool, and server), plus what the nutcracker report has no room for: request
 * latency histograms per server and per pool, requests per command, whether each server is ejected now, and the
 * memory of Netty's buffer allocator.
 */
public final class PrometheusCollector implements MultiCollector {
    static final String LATENCY_NAME = "shardgate_server_request_duration_seconds";
    static final String POOL_LATENCY_NAME = "shardgate_pool_request_duration_seconds";

    private final StatsAggregator aggregator;

    public PrometheusCollector(StatsAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Override
    public MetricSnapshots collect() {
        return snapshots(aggregator.collect());
    }

    static MetricSnapshots snapshots(StatsSnapshot s) {
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(InfoSnapshot.builder().name("shardgate_build").help("shardgate's version")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(Labels.of("version", s.version(), "source", s.source())).build())
                .build());
        for (Stat stat : Stat.of(Stat.Scope.PROCESS)) {
            if (stat.prometheusName != null) out.add(metric(stat, List.of(Labels.EMPTY), List.of((double) s.get(stat))));
        }
        for (Stat stat : Stat.of(Stat.Scope.POOL)) {
            List<Labels> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (PoolSample pool : s.pools()) {
                labels.add(Labels.of("pool", pool.name()));
                values.add((double) pool.get(stat));
            }
            out.add(metric(stat, labels, values));
        }
        for (Stat stat : Stat.of(Stat.Scope.SERVER)) {
            List<Labels> labels = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (PoolSample pool : s.pools()) {
                for (ServerSample server : pool.servers()) {
                    labels.add(serverLabels(pool, server));
                    long v = server.get(stat);
                    values.add(stat.kind == Stat.Kind.TIMESTAMP ? v / 1e6 : v); // usec in the report, seconds here
                }
            }
            out.add(metric(stat, labels, values));
        }
        out.add(ejected(s));
        out.add(latency(s, false));
        out.add(latency(s, true));
        out.add(commands(s));
        out.addAll(nettyMemory());
        return new MetricSnapshots(out);
    }

    private static Labels serverLabels(PoolSample pool, ServerSample server) {
        return Labels.of("pool", pool.name(), "server", server.name());
    }

    private static MetricSnapshot metric(Stat stat, List<Labels> labels, List<Double> values) {
        String help = stat.description + (stat.kind == Stat.Kind.TIMESTAMP ? " (here in seconds)" : "");
        if (stat.kind == Stat.Kind.COUNTER) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(stat.prometheusName).help(help);
            for (int i = 0; i < labels.size(); i++) {
                b.dataPoint(CounterDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
            }
            return b.build();
        }
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(stat.prometheusName).help(help);
        for (int i = 0; i < labels.size(); i++) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
        }
        return b.build();
    }

    private static MetricSnapshot ejected(StatsSnapshot s) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("shardgate_server_ejected")
                .help("1 while the server is ejected (auto_eject_hosts: out of the distribution, or failed fast under "
                        + "eject_policy fail or miss), else 0");
        for (int p = 0; p < s.pools().size(); p++) {
            PoolSample pool = s.pools().get(p);
            for (int i = 0; i < pool.servers().size(); i++) {
                b.dataPoint(GaugeDataPointSnapshot.builder().labels(serverLabels(pool, pool.servers().get(i)))
                        .value(s.ejected().get(p)[i] ? 1 : 0).build());
            }
        }
        return b.build();
    }

    private static MetricSnapshot latency(StatsSnapshot s, boolean perPool) {
        double[] bounds = new double[Latency.BUCKETS];
        for (int i = 0; i < bounds.length; i++) bounds[i] = Latency.upperBoundSeconds(i);
        HistogramSnapshot.Builder b = HistogramSnapshot.builder()
                .name(perPool ? POOL_LATENCY_NAME : LATENCY_NAME)
                .help(perPool ? "time from forwarding a request to a server of the pool until its reply, in seconds"
                        : "time from forwarding a request to the server until its reply, in seconds");
        for (PoolSample pool : s.pools()) {
            if (perPool) {
                long[] counts = new long[Latency.BUCKETS];
                long sum = 0;
                for (ServerSample server : pool.servers()) {
                    for (int i = 0; i < counts.length; i++) counts[i] += server.latency()[i];
                    sum += server.latencySumNanos();
                }
                b.dataPoint(histogram(Labels.of("pool", pool.name()), bounds, counts, sum));
            } else {
                for (ServerSample server : pool.servers()) {
                    b.dataPoint(histogram(serverLabels(pool, server), bounds, server.latency(), server.latencySumNanos()));
                }
            }
        }
        return b.build();
    }

    private static HistogramDataPointSnapshot histogram(Labels labels, double[] bounds, long[] counts, long sumNanos) {
        return HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                .sum(sumNanos / 1e9)
                .build();
    }

    private static MetricSnapshot commands(StatsSnapshot s) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name("shardgate_pool_commands")
                .help("requests received from clients, per command");
        for (int p = 0; p < s.pools().size(); p++) {
            List<String> names = s.views().get(p).commandNames();
            long[] counts = s.pools().get(p).commands();
            for (int c = 0; c < names.size(); c++) {
                b.dataPoint(CounterDataPointSnapshot.builder()
                        .labels(Labels.of("pool", s.pools().get(p).name(), "command", names.get(c)))
                        .value(counts[c]).build());
            }
        }
        return b.build();
    }

    /** Netty's buffer memory: what its allocator holds (pooled arenas included) and all direct memory it counts. */
    private static List<MetricSnapshot> nettyMemory() {
        List<MetricSnapshot> out = new ArrayList<>();
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        if (alloc instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric m = provider.metric();
            out.add(gauge("shardgate_netty_allocator_used_bytes",
                    "memory held by Netty's default buffer allocator, by kind (pooled arenas included)",
                    List.of(Labels.of("kind", "direct"), Labels.of("kind", "heap")),
                    List.of((double) m.usedDirectMemory(), (double) m.usedHeapMemory())));
        }
        if (alloc instanceof PooledByteBufAllocator pooled) {
            out.add(gauge("shardgate_netty_allocator_pinned_bytes",
                    "memory of Netty's pooled allocator used by live buffers, by kind",
                    List.of(Labels.of("kind", "direct"), Labels.of("kind", "heap")),
                    List.of((double) pooled.pinnedDirectMemory(), (double) pooled.pinnedHeapMemory())));
        }
        long direct = PlatformDependent.usedDirectMemory();
        if (direct >= 0) {
            out.add(gauge("shardgate_netty_direct_memory_used_bytes",
                    "direct memory Netty has reserved (its own counter, -1 when it does not count)",
                    List.of(Labels.EMPTY), List.of((double) direct)));
            out.add(gauge("shardgate_netty_direct_memory_max_bytes", "the most direct memory Netty may reserve",
                    List.of(Labels.EMPTY), List.of((double) PlatformDependent.maxDirectMemory())));
        }
        return out;
    }

    private static MetricSnapshot gauge(String name, String help, List<Labels> labels, List<Double> values) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        for (int i = 0; i < labels.size(); i++) {
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.get(i)).value(values.get(i)).build());
        }
        return b.build();
    }
}
