package io.shardgate.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The status page's figures without a network: counters made by the real {@link WorkerStats}, snapshots fed to the
 * {@link StatusHistory} at chosen times, the report's rates, quantiles and states, and its JSON names.
 */
class StatusReportTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_000 * SECOND;
    private static final long MILLIS0 = 1_800_000_000_000L;
    private static final PoolConfig POOL = new PoolConfig("alpha", ListenAddress.tcp("127.0.0.1", 22121),
            HashKind.MURMUR, "{}", DistributionKind.MODULA, 400, 512, 0, false, null, 0, false, true, 1, 30_000, 2,
            false, List.of(new ServerConfig("127.0.0.1", 11211, 1, "a"), new ServerConfig("127.0.0.1", 11212, 2, null)));

    private final WorkerStats worker = new WorkerStats(List.of(POOL), List.of(List.of("get", "set")));
    private final ServerHealth[] health = {ServerHealth.UP, ServerHealth.UP};
    private final PoolView view = new PoolView(POOL, List.of("get", "set"), s -> health[s]);
    private final StatusHistory history = new StatusHistory();
    private final ProcessInfo info = new ProcessInfo("epoll", new ConfigStatus(Path.of("conf/x.yml"), "sha256:0123"));

    private StatsSnapshot snapshot() {
        List<PoolSample> pools = worker.snapshot(List.of((server, into) -> {}));
        boolean[] ejected = {health[0].ejected(), health[1].ejected()};
        return new StatsSnapshot("host", "9.9", 60, 0, 10, 5, List.of(view), pools, List.of(ejected), 1, 1);
    }

    /** {@code n} requests to server {@code s} answered after {@code micros} each, as a server link counts them. */
    private void replied(int s, int n, long micros) {
        ServerCounters c = worker.pool(0).server(s);
        for (int i = 0; i < n; i++) {
            worker.pool(0).command(0);
            c.forwarded(10, true);
            c.replied(10, 5, TimeUnit.MICROSECONDS.toNanos(micros));
        }
    }

    private StatusReport report(long nanos) {
        return StatusReporter.report(history.window(), info, MILLIS0, 1_000, MILLIS0 + nanos / 1_000_000,
                new StatusReport.Memory(1, 2, 3, 4L, 5L, 6L));
    }

    @Test
    void quantilesInterpolateWithinTheirBucket() {
        long[] counts = new long[Latency.BUCKETS];
        assertThat(Latency.quantileMicros(counts, 0.5)).isNaN();
        counts[0] = 100; // all at or below 50 us
        assertThat(Latency.quantileMicros(counts, 0.5)).isEqualTo(25.0);
        counts[0] = 0;
        counts[1] = 50; // (50, 100] us
        counts[2] = 50; // (100, 250] us
        assertThat(Latency.quantileMicros(counts, 0.5)).isEqualTo(100.0);
        assertThat(Latency.quantileMicros(counts, 0.99)).isCloseTo(100 + 150 * 49 / 50.0, within(1e-9));
        long[] slow = new long[Latency.BUCKETS];
        slow[Latency.BUCKETS - 1] = 3; // above the last bound: reported as that bound
        assertThat(Latency.quantileMicros(slow, 0.99)).isEqualTo(10_000_000.0);
    }

    @Test
    void ratesLatencyAndStatesOverTheWindow() {
        history.add(T0, MILLIS0, snapshot());
        StatusReport first = report(T0);
        assertThat(first.pools().get(0).requestsPerSecond()).as("no interval yet").isNull();
        assertThat(first.pools().get(0).servers().get(0).p50Micros()).isNull();
        assertThat(first.process().rateWindowMs()).isZero();

        replied(0, 100, 300); // all in the (250, 500] us bucket
        replied(1, 50, 80);
        ServerCounters one = worker.pool(0).server(1);
        one.connectFailed(FailureReasons.CONNECTION_REFUSED);
        one.connected();
        one.closed(FailureReasons.CONNECTION_CLOSED);
        one.timedOut();
        worker.pool(0).forwardError();
        worker.pool(0).forwardError();
        worker.pool(0).clientConnected();
        history.add(T0 + 5 * SECOND, MILLIS0 + 5_000, snapshot());

        StatusReport r = report(T0 + 5 * SECOND);
        StatusReport.Pool pool = r.pools().get(0);
        assertThat(pool.name()).isEqualTo("alpha");
        assertThat(pool.listen()).isEqualTo("127.0.0.1:22121");
        assertThat(pool.hash()).isEqualTo("murmur");
        assertThat(pool.distribution()).isEqualTo("modula");
        assertThat(pool.hashTag()).isEqualTo("{}");
        assertThat(pool.ejectPolicy()).isEqualTo("rehash");
        assertThat(pool.clientConnections()).isEqualTo(1);
        assertThat(pool.requestsPerSecond()).isEqualTo(30.0); // 150 client requests in 5 s
        assertThat(pool.errorsPerSecond()).isEqualTo(0.4);
        assertThat(r.process().rateWindowMs()).isEqualTo(5_000);

        StatusReport.Server a = pool.servers().get(0);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.address()).isEqualTo("127.0.0.1:11211");
        assertThat(a.state()).isEqualTo(StatusReport.UP);
        assertThat(a.requestsPerSecond()).isEqualTo(20.0);
        assertThat(a.p50Micros()).isEqualTo(375.0);
        assertThat(a.p99Micros()).isEqualTo(497.5);
        assertThat(a.failures()).isZero();
        assertThat(a.ejectedAt()).isNull();
        StatusReport.Server b = pool.servers().get(1);
        assertThat(b.name()).isEqualTo("127.0.0.1:11212");
        assertThat(b.weight()).isEqualTo(2);
        assertThat(b.state()).as("connections failed in the window").isEqualTo(StatusReport.FAILING);
        assertThat(b.failures()).isEqualTo(3); // refused, closed by the server, timed out
        assertThat(b.recentFailures()).isEqualTo(3);
        assertThat(b.requestsPerSecond()).isEqualTo(10.0);
        assertThat(b.p50Micros()).isBetween(50.0, 100.0);
        assertThat(pool.serversUp()).isEqualTo(1);
        assertThat(pool.serversFailing()).isEqualTo(1);
        assertThat(pool.serversEjected()).isZero();
        // one 5-second step is complete: the sparkline's first point
        assertThat(a.history().requestsPerSecond()).containsExactly(20.0);
        assertThat(b.history().failures()).containsExactly(3);
        assertThat(b.history().ejected()).containsExactly(false);
        assertThat(a.history().stepSeconds()).isEqualTo(5);

        // the pool's health says b is out now: the report shows it at once, with its times
        health[1] = new ServerHealth(0, true, MILLIS0 + 4_000, MILLIS0 + 34_000);
        StatusReport.Server ejected = report(T0 + 5 * SECOND).pools().get(0).servers().get(1);
        assertThat(ejected.state()).isEqualTo(StatusReport.EJECTED);
        assertThat(ejected.ejectedAt()).isEqualTo(MILLIS0 + 4_000);
        assertThat(ejected.retryAt()).isEqualTo(MILLIS0 + 34_000);

        // no failure for longer than the recent window, no failure in a row: up again
        health[1] = ServerHealth.UP;
        for (int i = 6; i <= 20; i++) history.add(T0 + i * SECOND, MILLIS0 + i * 1_000L, snapshot());
        StatusReport.Server quiet = report(T0 + 20 * SECOND).pools().get(0).servers().get(1);
        assertThat(quiet.state()).isEqualTo(StatusReport.UP);
        assertThat(quiet.recentFailures()).isZero();
        assertThat(quiet.failures()).isEqualTo(3);
        assertThat(quiet.requestsPerSecond()).isEqualTo(0.0);
        assertThat(quiet.p50Micros()).as("no reply in the window").isNull();
        // failures counting towards an ejection make a server failing even without a recent closed connection
        health[1] = ServerHealth.inService(1);
        assertThat(report(T0 + 20 * SECOND).pools().get(0).servers().get(1).state()).isEqualTo(StatusReport.FAILING);
    }

    @Test
    void historyIsBoundedAndStartsAfreshWhenThePoolsChange() {
        for (int i = 0; i <= 400; i++) {
            replied(0, 5, 100);
            history.add(T0 + i * SECOND, MILLIS0 + i * 1_000L, snapshot());
        }
        StatusHistory.Window w = history.window();
        assertThat(w.trails().get(0).get(0).requestsPerSecond()).hasSize(StatusHistory.STEPS)
                .containsOnly(5.0);
        assertThat((w.latest().nanos() - w.oldest().nanos()) / SECOND).isEqualTo(StatusHistory.RECENT - 1);
        assertThat((w.latest().nanos() - w.rateBase().nanos()) / SECOND).isEqualTo(5);

        PoolConfig other = PoolConfig.withDefaults("beta", ListenAddress.tcp("127.0.0.1", 1),
                List.of(new ServerConfig("127.0.0.1", 1, 1, null)));
        WorkerStats reloaded = new WorkerStats(List.of(other), List.of(List.of()));
        PoolView otherView = new PoolView(other, List.of(), s -> ServerHealth.UP);
        history.add(T0 + 401 * SECOND, MILLIS0, new StatsSnapshot("host", "9.9", 1, 0, 0, 0, List.of(otherView),
                reloaded.snapshot(List.of((s, into) -> {})), List.of(new boolean[1]), 1, 1));
        StatusHistory.Window fresh = history.window();
        assertThat(fresh.trails()).hasSize(1);
        assertThat(fresh.trails().get(0).get(0).requestsPerSecond()).isEmpty();
        assertThat(fresh.oldest()).isSameAs(fresh.latest());
    }

    @Test
    void ejectedStretchesAreMarkedInTheSparkline() {
        history.add(T0, MILLIS0, snapshot());
        history.add(T0 + 5 * SECOND, MILLIS0, snapshot());
        health[0] = new ServerHealth(0, true, MILLIS0, MILLIS0 + 30_000);
        history.add(T0 + 7 * SECOND, MILLIS0, snapshot()); // out during part of the second step
        health[0] = ServerHealth.UP;
        history.add(T0 + 10 * SECOND, MILLIS0, snapshot());
        history.add(T0 + 15 * SECOND, MILLIS0, snapshot());
        assertThat(history.window().trails().get(0).get(0).ejected()).containsExactly(false, true, false);
    }

    @Test
    void jsonHasSnakeCaseNamesNullsForUnknownsAndTheReloadHook() throws Exception {
        history.add(T0, MILLIS0, snapshot());
        JsonNode j = StatusPage.JSON.readTree(StatusPage.JSON.writeValueAsBytes(report(T0)));
        JsonNode process = j.get("process");
        assertThat(process.get("service").asText()).isEqualTo("shardgate");
        assertThat(process.get("version").asText()).isEqualTo("9.9");
        assertThat(process.get("transport").asText()).isEqualTo("epoll");
        assertThat(process.get("started_at").asLong()).isEqualTo(MILLIS0);
        assertThat(process.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(process.get("config").get("file").asText()).isEqualTo("conf/x.yml");
        assertThat(process.get("config").get("digest").asText()).isEqualTo("sha256:0123");
        assertThat(process.get("config").has("last_reload")).isTrue();
        assertThat(process.get("config").get("last_reload").isNull()).isTrue();
        assertThat(process.get("memory").get("rss").asLong()).isEqualTo(6);
        JsonNode server = j.get("pools").get(0).get("servers").get(0);
        for (String name : List.of("state", "ejected_at", "retry_at", "last_ejected_at", "failures", "recent_failures",
                "consecutive_failures", "in_flight", "connections", "requests_per_second", "p50_micros", "p99_micros")) {
            assertThat(server.has(name)).as(name).isTrue();
        }
        assertThat(server.get("requests_per_second").isNull()).isTrue();
        assertThat(server.get("history").get("requests_per_second").isArray()).isTrue();

        info.config().reloadFailed("pool 'alpha': servers: missing", MILLIS0 + 9);
        JsonNode failed = StatusPage.JSON.readTree(StatusPage.JSON.writeValueAsBytes(report(T0)))
                .get("process").get("config");
        assertThat(failed.get("last_reload").get("ok").asBoolean()).isFalse();
        assertThat(failed.get("last_reload").get("error").asText()).contains("missing");
        assertThat(failed.get("digest").asText()).as("the running config is unchanged").isEqualTo("sha256:0123");
        info.config().reloaded("sha256:4567", MILLIS0 + 20);
        JsonNode took = StatusPage.JSON.readTree(StatusPage.JSON.writeValueAsBytes(report(T0)))
                .get("process").get("config");
        assertThat(took.get("digest").asText()).isEqualTo("sha256:4567");
        assertThat(took.get("loaded_at").asLong()).isEqualTo(MILLIS0 + 20);
        assertThat(took.get("last_reload").get("ok").asBoolean()).isTrue();
    }

    @Test
    void loopbackHostRule() {
        for (String ok : new String[] {null, "", "127.0.0.1", "127.0.0.1:9100", "127.1.2.3:80", "localhost",
                "LOCALHOST:9100", "status.localhost:9100", "[::1]:9100", "[::1]"}) {
            assertThat(HttpReplies.isLoopbackHost(ok)).as(ok).isTrue();
        }
        for (String bad : new String[] {"evil.example", "evil.example:9100", "127.0.0.1.evil.example",
                "10.0.0.1:9100", "999.0.0.1", "[2001:db8::1]:9100", "[::1", "localhost.evil.example"}) {
            assertThat(HttpReplies.isLoopbackHost(bad)).as(bad).isFalse();
        }
    }
}
