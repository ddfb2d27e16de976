package io.shardgate.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The stats pieces without a network: counting, merging, the report's bytes, latency buckets, the rate limiter. */
class StatsUnitTest {
    private static final PoolConfig POOL = PoolConfig.withDefaults("p", ListenAddress.tcp("127.0.0.1", 1),
            List.of(new ServerConfig("10.0.0.1", 11211, 1, null), new ServerConfig("10.0.0.2", 11212, 1, "two")));

    /** Counts a request of {@code s} forwarded, as the server link does; returns its size. */
    private static int forward(ServerCounters counters, String s, boolean awaitsReply) {
        int bytes = s.getBytes(StandardCharsets.US_ASCII).length;
        counters.forwarded(bytes, awaitsReply);
        return bytes;
    }

    @Test
    void countersMergeOverWorkers() {
        List<List<String>> names = List.of(List.of("get", "set"));
        WorkerStats w1 = new WorkerStats(List.of(POOL), names);
        WorkerStats w2 = new WorkerStats(List.of(POOL), names);
        PoolCounters p1 = w1.pool(0);
        p1.clientConnected();
        p1.clientConnected();
        p1.clientClosed(false);
        p1.command(0);
        p1.command(7); // out of range: ignored
        p1.fragments(3);
        ServerCounters s1 = p1.server(1);
        s1.connected();
        int tracked = forward(s1, "get a\r\n", true);
        forward(s1, "x", false); // noreply: counted, nothing to wait for
        s1.replied(tracked, 5, TimeUnit.MICROSECONDS.toNanos(300));
        s1.settle(forward(s1, "get b\r\n", true)); // failed: no reply will come
        s1.closed(FailureReasons.CONNECTION_CLOSED);
        s1.connectFailed(FailureReasons.CONNECTION_REFUSED);
        s1.connectFailed(FailureReasons.TIMED_OUT);

        PoolCounters p2 = w2.pool(0);
        p2.clientConnected();
        p2.clientClosed(true);
        p2.command(1);
        p2.server(1).connected();
        p2.server(1).ejected();
        p2.forwardError();
        forward(p2.server(1), "get c\r\n", true); // still awaiting its reply

        List<PoolSample> a = w1.snapshot(List.of((server, into) -> {}));
        List<PoolSample> b = w2.snapshot(List.of((server, into) -> {}));
        PoolSample sum = a.get(0).plus(b.get(0));
        assertThat(sum.get(Stat.CLIENT_CONNECTIONS)).isEqualTo(1);
        assertThat(sum.get(Stat.CLIENT_EOF)).isEqualTo(1);
        assertThat(sum.get(Stat.CLIENT_ERR)).isEqualTo(1);
        assertThat(sum.get(Stat.FRAGMENTS)).isEqualTo(3);
        assertThat(sum.get(Stat.FORWARD_ERROR)).isEqualTo(1);
        assertThat(sum.get(Stat.SERVER_EJECTS)).isEqualTo(1);
        assertThat(sum.commands()).containsExactly(1, 1);
        assertThat(sum.clientsAccepted()).isEqualTo(3);
        ServerSample two = sum.server("two");
        assertThat(two.get(Stat.REQUESTS)).isEqualTo(4);
        assertThat(two.get(Stat.REQUEST_BYTES)).isEqualTo(7 + 1 + 7 + 7);
        assertThat(two.get(Stat.RESPONSES)).isEqualTo(1);
        assertThat(two.get(Stat.RESPONSE_BYTES)).isEqualTo(5);
        assertThat(two.get(Stat.SERVER_CONNECTIONS)).isEqualTo(1); // one closed of two opened
        assertThat(two.connectionsOpened()).isEqualTo(2);
        assertThat(two.get(Stat.SERVER_EOF)).isEqualTo(1);
        assertThat(two.get(Stat.SERVER_ERR)).isEqualTo(1);
        assertThat(two.get(Stat.SERVER_TIMEDOUT)).isEqualTo(1);
        assertThat(two.get(Stat.OUT_QUEUE)).isEqualTo(1);
        assertThat(two.get(Stat.OUT_QUEUE_BYTES)).isEqualTo(7);
        long ejectedAt = two.get(Stat.SERVER_EJECTED_AT);
        assertThat(ejectedAt).isCloseTo(System.currentTimeMillis() * 1000, org.assertj.core.data.Offset.offset(5_000_000L));
        assertThat(java.util.Arrays.stream(two.latency()).sum()).isEqualTo(1);
        assertThat(sum.server("10.0.0.1").get(Stat.REQUESTS)).isZero();
    }

    @Test
    void heldRequestsAreTheInQueueAndLeaveTheOutQueue() {
        WorkerStats w = new WorkerStats(List.of(POOL), List.of(List.of()));
        ServerCounters s = w.pool(0).server(0);
        forward(s, "get a\r\n", true);
        forward(s, "get bb\r\n", true);
        forward(s, "set x 0 0 1 noreply\r\nx\r\n", false);
        // the link holds the second get and the noreply set while it connects; the first get was written
        HeldSource source = (server, into) -> {
            if (server == 0) {
                into.add(8, true);
                into.add(24, false);
            }
        };
        ServerSample sample = w.snapshot(List.of(source)).get(0).servers().get(0);
        assertThat(sample.get(Stat.IN_QUEUE)).isEqualTo(2);
        assertThat(sample.get(Stat.IN_QUEUE_BYTES)).isEqualTo(32);
        assertThat(sample.get(Stat.OUT_QUEUE)).isEqualTo(1);
        assertThat(sample.get(Stat.OUT_QUEUE_BYTES)).isEqualTo(7);
    }

    @Test
    void reportIsNutcrackersLayoutAndValidJson() throws Exception {
        WorkerStats w = new WorkerStats(List.of(POOL, PoolConfig.withDefaults("q\"uote", ListenAddress.tcp("h", 2),
                List.of(new ServerConfig("h", 1, 1, null)))), List.of(List.of(), List.of()));
        w.pool(0).clientConnected();
        List<PoolSample> pools = w.snapshot(List.of((s, i) -> {}, (s, i) -> {}));
        StatsSnapshot snapshot = new StatsSnapshot("host", "1.2.3", 7, 1700000000, 9, 4, List.of(), pools,
                List.of(new boolean[2], new boolean[1]), 1, 1);
        String json = NutcrackerJson.render(snapshot);
        String server = "\"server_eof\":0, \"server_err\":0, \"server_timedout\":0, \"server_connections\":0, "
                + "\"server_ejected_at\":0, \"requests\":0, \"request_bytes\":0, \"responses\":0, \"response_bytes\":0, "
                + "\"in_queue\":0, \"in_queue_bytes\":0, \"out_queue\":0, \"out_queue_bytes\":0}";
        assertThat(json).isEqualTo("{\"service\":\"shardgate\", \"source\":\"host\", \"version\":\"1.2.3\", "
                + "\"uptime\":7, \"timestamp\":1700000000, \"total_connections\":9, \"curr_connections\":4, "
                + "\"p\": {\"client_eof\":0, \"client_err\":0, \"client_connections\":1, \"server_ejects\":0, "
                + "\"forward_error\":0, \"fragments\":0, \"10.0.0.1\": {" + server + ",\"two\": {" + server + "},"
                + "\"q\\\"uote\": {\"client_eof\":0, \"client_err\":0, \"client_connections\":0, \"server_ejects\":0, "
                + "\"forward_error\":0, \"fragments\":0, \"h:1\": {" + server + "}}\n");
        JsonNode parsed = new ObjectMapper().readTree(json);
        assertThat(parsed.get("q\"uote").get("h:1").get("requests").asLong()).isZero();
    }

    @Test
    void latencyBuckets() {
        assertThat(Latency.bucket(0)).isZero();
        assertThat(Latency.bucket(50_000)).isZero(); // exactly 50 us: le="5e-05"
        assertThat(Latency.bucket(50_001)).isEqualTo(1);
        assertThat(Latency.bucket(1_000_000)).isEqualTo(4); // 1 ms
        assertThat(Latency.bucket(TimeUnit.SECONDS.toNanos(10))).isEqualTo(Latency.BUCKETS - 2);
        assertThat(Latency.bucket(TimeUnit.SECONDS.toNanos(11))).isEqualTo(Latency.BUCKETS - 1);
        assertThat(Latency.upperBoundSeconds(Latency.BUCKETS - 1)).isInfinite();
        assertThat(Latency.upperBoundSeconds(4)).isEqualTo(0.001);
    }

    @Test
    void describeListsPoolThenServerStatsInTableOrder() {
        String d = Stat.describe();
        assertThat(d).startsWith("pool stats:\n  client_eof          \"# eof on client connections\"\n");
        assertThat(d.lines().filter(l -> l.startsWith("  ")).count()).isEqualTo(Stat.POOL_COUNT + Stat.SERVER_COUNT);
        assertThat(Stat.of(Stat.Scope.POOL)).hasSize(Stat.POOL_COUNT);
        assertThat(Stat.of(Stat.Scope.SERVER)).hasSize(Stat.SERVER_COUNT);
        for (Stat s : Stat.values()) {
            if (s.prometheusName != null) assertThat(s.prometheusName).matches("shardgate_[a-z_]+").doesNotEndWith("_total");
        }
    }

    @Test
    void rateLimitedLogSaysWhatItLeftOut() {
        AtomicLong clock = new AtomicLong();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("test.flap");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            RateLimitedLog log = new RateLimitedLog(logger, TimeUnit.SECONDS.toNanos(10), clock::get);
            assertThat(log.warn("s1", "down", "server {} down", "s1")).isTrue();
            assertThat(log.warn("s1", "down", "server {} down", "s1")).isFalse();
            assertThat(log.warn("s1", "down", "server {} down", "s1")).isFalse();
            assertThat(log.info("s1", "up", "server {} up", "s1")).isTrue(); // another kind
            assertThat(log.warn("s2", "down", "server {} down", "s2")).isTrue(); // another server
            clock.set(TimeUnit.SECONDS.toNanos(11));
            assertThat(log.warn("s1", "down", "server {} down", "s1")).isTrue();
            assertThat(lines.list).extracting(e -> e.getFormattedMessage()).containsExactly(
                    "server s1 down", "server s1 up", "server s2 down",
                    "server s1 down (and 2 more since the previous such line, not logged)");
        } finally {
            logger.detachAppender(lines);
        }
    }
}
