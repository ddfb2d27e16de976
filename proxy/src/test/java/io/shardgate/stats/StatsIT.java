package io.shardgate.stats;

import static io.shardgate.stats.StatsClient.key;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import io.shardgate.routing.PoolRouter;
import io.shardgate.config.ServerSettings;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.ProxyFixture;
import io.shardgate.testsupport.RawClient;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Known traffic through a real proxy in front of real memcached, then the stats port and /metrics: exact counts,
 * the JSON's layout, and the same numbers in both.
 */
class StatsIT {
    private static final String POOL = "stats";
    private ProxyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) fixture.close();
    }

    /** Two memcached, a pool that preconnects (so every worker has one connection to each server), two workers. */
    private void start() throws InterruptedException {
        fixture = ProxyFixture.memcache(2, StatsIT::preconnectingPool, ServerSettings.defaults().withWorkers(2)
                .withStats(0, 60_000).withAdmin(0, InetAddress.getLoopbackAddress()));
        awaitServerConnections(2, 2);
    }

    private static PoolConfig preconnectingPool(List<MemcachedServer> servers) {
        List<ServerConfig> configs = servers.stream().map(s -> new ServerConfig("127.0.0.1", s.port(), 1, null)).toList();
        return new PoolConfig(POOL, ListenAddress.tcp("127.0.0.1", 0), HashKind.FNV1A_64, null,
                DistributionKind.KETAMA, PoolConfig.NO_TIMEOUT, 512, 0, false, null, 0, true, false, 1, 30_000, 2,
                false, configs);
    }

    private int statsPort() {
        return fixture.statsAddress().getPort();
    }

    private String serverName(int index) {
        return fixture.pool().servers().get(index).statsName();
    }

    /** A key the pool routes to server {@code index}. */
    private String keyOn(int index, String prefix) {
        PoolRouter router = PoolRouter.forPool(fixture.pool());
        for (int i = 0; ; i++) {
            byte[] key = (prefix + i).getBytes(StandardCharsets.US_ASCII);
            if (router.serverFor(key, 0, key.length) == index) return prefix + i;
        }
    }

    private void awaitServerConnections(long server0, long server1) {
        StatsClient.await(statsPort(), j -> server(j, 0).get("server_connections").asLong() == server0
                && server(j, 1).get("server_connections").asLong() == server1);
    }

    private JsonNode server(JsonNode report, int index) {
        return report.get(POOL).get(serverName(index));
    }

    private static int len(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1).length;
    }

    @Test
    void exactCountsForKnownTraffic() throws Exception {
        start();
        String k0 = keyOn(0, "a");
        String k1 = keyOn(1, "b");
        String set = "set " + k0 + " 0 0 3\r\nabc\r\n";
        String value0 = "VALUE " + k0 + " 0 3\r\nabc\r\nEND\r\n";
        String delete = "delete " + k1 + " noreply\r\n";
        try (RawClient a = fixture.client()) {
            a.send(set);
            assertThat(a.readLike("STORED\r\n")).isEqualTo("STORED\r\n");
            a.send("get " + k0 + " " + k1 + "\r\n"); // split into one fragment per server
            assertThat(a.readLike(value0)).isEqualTo(value0);
            a.send("bogus\r\n"); // answered by the proxy: no server sees it
            assertThat(a.readLike("ERROR\r\n")).isEqualTo("ERROR\r\n");
            a.send(delete + "get " + k1 + "\r\n");
            assertThat(a.readLike("END\r\n")).isEqualTo("END\r\n");

            try (RawClient b = fixture.client()) {
                b.send("version\r\n");
                assertThat(b.readLine()).startsWith("VERSION ");
            } // closed by the client: client_eof
            try (RawClient c = fixture.client()) {
                c.send("x".repeat(10_000)); // a line too long: answered, then the proxy closes (client_err)
                c.readLine();
                assertThat(c.isClosedByPeer()).isTrue();
            }
            try (RawClient d = fixture.client()) {
                d.send("quit\r\n");
                assertThat(d.isClosedByPeer()).isTrue(); // quit is an eof, as in nutcracker
            }

            JsonNode r = StatsClient.await(statsPort(), j -> j.get(POOL).get("client_eof").asLong() == 2
                    && j.get(POOL).get("client_err").asLong() == 1);
            JsonNode pool = r.get(POOL);
            assertThat(pool.get("client_connections").asLong()).isEqualTo(1);
            assertThat(pool.get("fragments").asLong()).isEqualTo(2);
            assertThat(pool.get("forward_error").asLong()).isZero();
            assertThat(pool.get("server_ejects").asLong()).isZero();

            JsonNode s0 = server(r, 0);
            assertThat(s0.get("requests").asLong()).isEqualTo(2);
            assertThat(s0.get("request_bytes").asLong()).isEqualTo(len(set) + len("get " + k0 + "\r\n"));
            assertThat(s0.get("responses").asLong()).isEqualTo(2);
            assertThat(s0.get("response_bytes").asLong()).isEqualTo(len("STORED\r\n") + len(value0));
            JsonNode s1 = server(r, 1);
            assertThat(s1.get("requests").asLong()).isEqualTo(3);
            assertThat(s1.get("request_bytes").asLong()).isEqualTo(2 * len("get " + k1 + "\r\n") + len(delete));
            assertThat(s1.get("responses").asLong()).isEqualTo(2); // noreply has none
            assertThat(s1.get("response_bytes").asLong()).isEqualTo(2 * len("END\r\n"));
            for (JsonNode s : List.of(s0, s1)) {
                assertThat(s.get("server_connections").asLong()).isEqualTo(2);
                for (String zero : List.of("server_eof", "server_err", "server_timedout", "server_ejected_at",
                        "in_queue", "in_queue_bytes", "out_queue", "out_queue_bytes")) {
                    assertThat(s.get(zero).asLong()).as(zero).isZero();
                }
            }
            // one listener, client a, two workers' connections to two servers; plus clients b, c and d since
            assertThat(r.get("curr_connections").asLong()).isEqualTo(1 + 1 + 4);
            assertThat(r.get("total_connections").asLong()).isEqualTo(1 + 4 + 4);
            assertThat(r.get("service").asText()).isEqualTo("shardgate");
            assertThat(r.get("uptime").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(r.get("timestamp").asLong()).isCloseTo(System.currentTimeMillis() / 1000,
                    org.assertj.core.data.Offset.offset(5L));

            // /metrics says the same, stat for stat, and more
            Map<String, Double> m = metrics();
            JsonNode now = StatsClient.read(statsPort());
            for (Stat stat : Stat.of(Stat.Scope.POOL)) {
                assertThat(m.get(key(promName(stat), "pool", POOL))).as(stat.jsonName)
                        .isEqualTo((double) now.get(POOL).get(stat.jsonName).asLong());
            }
            for (int i = 0; i < 2; i++) {
                for (Stat stat : Stat.of(Stat.Scope.SERVER)) {
                    assertThat(m.get(key(promName(stat), "pool", POOL, "server", serverName(i)))).as(stat.jsonName)
                            .isEqualTo((double) server(now, i).get(stat.jsonName).asLong());
                }
                String[] labels = {"pool", POOL, "server", serverName(i)};
                assertThat(m.get(key("shardgate_server_request_duration_seconds_count", labels))).isEqualTo(2.0);
                assertThat(m.get(key("shardgate_server_request_duration_seconds_bucket", append(labels, "le", "+Inf"))))
                        .isEqualTo(2.0);
                assertThat(m.get(key("shardgate_server_request_duration_seconds_sum", labels))).isPositive();
                assertThat(m.get(key("shardgate_server_ejected", labels))).isZero();
            }
            assertThat(m.get(key("shardgate_pool_request_duration_seconds_count", "pool", POOL))).isEqualTo(4.0);
            assertThat(m.get(key("shardgate_pool_commands_total", "pool", POOL, "command", "get"))).isEqualTo(2.0);
            assertThat(m.get(key("shardgate_pool_commands_total", "pool", POOL, "command", "set"))).isEqualTo(1.0);
            assertThat(m.get(key("shardgate_pool_commands_total", "pool", POOL, "command", "delete"))).isEqualTo(1.0);
            assertThat(m.get(key("shardgate_pool_commands_total", "pool", POOL, "command", "version"))).isEqualTo(1.0);
            assertThat(m.get(key("shardgate_pool_commands_total", "pool", POOL, "command", "quit"))).isEqualTo(1.0);
            assertThat(m.get(key("shardgate_pool_commands_total", "pool", POOL, "command", "incr"))).isZero();
            assertThat(m.get("shardgate_connections_open")).isEqualTo(6.0);
            assertThat(m.get("shardgate_connections_opened_total")).isEqualTo(9.0);
            assertThat(m).containsKey(key("shardgate_netty_allocator_used_bytes", "kind", "direct"));
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
            assertThat(m.keySet()).anyMatch(k -> k.startsWith("jvm_buffer_pool_used_bytes{"));

            HttpResponse<String> health = StatsClient.http(fixture.proxy().stats().adminAddress(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("OK\n").contains("pool stats: 2/2 servers live");
            assertThat(StatsClient.http(fixture.proxy().stats().adminAddress(), "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void reportHasNutcrackersLayout() throws Exception {
        start();
        String raw = StatsClient.raw(statsPort());
        assertThat(raw).startsWith("{\"service\":\"shardgate\", \"source\":\"").endsWith("}}}\n");
        assertThat(raw).contains("\"curr_connections\":5, \"" + POOL + "\": {\"client_eof\":0, ");
        assertThat(raw).contains("\"fragments\":0, \"" + serverName(0) + "\": {\"server_eof\":0, ");
        assertThat(raw).contains("\"out_queue_bytes\":0},\"" + serverName(1) + "\": {");
        JsonNode r = StatsClient.read(statsPort());
        assertThat(names(r)).containsExactly("service", "source", "version", "uptime", "timestamp",
                "total_connections", "curr_connections", POOL);
        List<String> poolKeys = new ArrayList<>();
        Stat.of(Stat.Scope.POOL).forEach(s -> poolKeys.add(s.jsonName));
        poolKeys.add(serverName(0));
        poolKeys.add(serverName(1));
        assertThat(names(r.get(POOL))).containsExactlyElementsOf(poolKeys);
        assertThat(names(server(r, 0))).containsExactlyElementsOf(
                Stat.of(Stat.Scope.SERVER).stream().map(s -> s.jsonName).toList());
    }

    @Test
    void killedServerCountsEofConnectErrorsAndForwardErrors() throws Exception {
        start();
        String k1 = keyOn(1, "c");
        fixture.backends().get(1).kill();
        // each worker's connection sees the server go: eof, and no connection left
        JsonNode gone = StatsClient.await(statsPort(), j -> server(j, 1).get("server_eof").asLong() == 2);
        assertThat(server(gone, 1).get("server_connections").asLong()).isZero();
        assertThat(server(gone, 0).get("server_connections").asLong()).isEqualTo(2);

        String get = "get " + k1 + "\r\n";
        try (RawClient c = fixture.client()) {
            c.send(get + get + get); // one write: all three wait for one reconnect, which is refused
            for (int i = 0; i < 3; i++) assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection refused\r\n");
            JsonNode r = StatsClient.read(statsPort());
            assertThat(r.get(POOL).get("forward_error").asLong()).isEqualTo(3);
            JsonNode s1 = server(r, 1);
            assertThat(s1.get("server_err").asLong()).isEqualTo(1);
            assertThat(s1.get("server_eof").asLong()).isEqualTo(2);
            assertThat(s1.get("requests").asLong()).isEqualTo(3);
            assertThat(s1.get("request_bytes").asLong()).isEqualTo(3L * len(get));
            assertThat(s1.get("responses").asLong()).isZero();
            assertThat(s1.get("out_queue").asLong()).isZero();
            assertThat(s1.get("in_queue").asLong()).isZero();
            assertThat(server(r, 0).get("server_err").asLong()).isZero();
            Map<String, Double> m = metrics();
            assertThat(m.get(key("shardgate_pool_forward_errors_total", "pool", POOL))).isEqualTo(3.0);
            assertThat(m.get(key("shardgate_server_request_duration_seconds_count", "pool", POOL, "server",
                    serverName(1)))).isZero();
        }
    }

    @Test
    void outQueueAndLatencyWhileAServerIsFrozen() throws Exception {
        start();
        String k0 = keyOn(0, "d");
        String get = "get " + k0 + "\r\n";
        MemcachedServer frozen = fixture.backends().get(0);
        frozen.pause();
        try (RawClient c = fixture.client()) {
            c.send(get + get);
            JsonNode r = StatsClient.await(statsPort(), j -> server(j, 0).get("out_queue").asLong() == 2);
            assertThat(server(r, 0).get("out_queue_bytes").asLong()).isEqualTo(2L * len(get));
            assertThat(server(r, 0).get("responses").asLong()).isZero();
            StatsClient.sleep(300);
            frozen.resume();
            assertThat(c.readLike("END\r\nEND\r\n")).isEqualTo("END\r\nEND\r\n");
            JsonNode after = StatsClient.await(statsPort(), j -> server(j, 0).get("out_queue").asLong() == 0);
            assertThat(server(after, 0).get("out_queue_bytes").asLong()).isZero();
            assertThat(server(after, 0).get("responses").asLong()).isEqualTo(2);
        } finally {
            frozen.resume();
        }
        Map<String, Double> m = metrics();
        String[] labels = {"pool", POOL, "server", serverName(0)};
        assertThat(m.get(key("shardgate_server_request_duration_seconds_count", labels))).isEqualTo(2.0);
        assertThat(m.get(key("shardgate_server_request_duration_seconds_sum", labels))).isGreaterThan(0.6);
        assertThat(m.get(key("shardgate_server_request_duration_seconds_bucket", append(labels, "le", "0.25"))))
                .isZero();
    }

    private Map<String, Double> metrics() {
        HttpResponse<String> r = StatsClient.http(fixture.proxy().stats().adminAddress(), "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return StatsClient.samples(r.body());
    }

    private static String promName(Stat stat) {
        return stat.prometheusName + (stat.kind == Stat.Kind.COUNTER ? "_total" : "");
    }

    private static String[] append(String[] a, String... more) {
        String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(out::add);
        return out;
    }

}
