package io.shardgate.stats;

import static io.shardgate.stats.StatsClient.key;
import static io.shardgate.stats.StatusFixture.ALPHA;
import static io.shardgate.stats.StatusFixture.BETA;
import static io.shardgate.stats.StatusFixture.pool;
import static io.shardgate.stats.StatusFixture.server;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.shardgate.config.ConfigDigest;
import io.shardgate.testsupport.LightLoad;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /status.json} and the page's files, from a real proxy in front of real memcached under light load. */
class StatusPageIT {
    private StatusFixture fixture;
    private LightLoad load;

    @BeforeEach
    void start() throws InterruptedException {
        fixture = new StatusFixture();
        load = LightLoad.start(fixture.poolPorts(), 120);
    }

    @AfterEach
    void stop() {
        if (load != null) load.close();
        if (fixture != null) fixture.close();
    }

    private static boolean everyServer(JsonNode status, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode p : status.get("pools")) {
            for (JsonNode s : p.get("servers")) {
                if (!test.test(s)) return false;
            }
        }
        return true;
    }

    @Test
    void liveFiguresForEveryPoolAndServer() {
        JsonNode r = fixture.awaitStatus(Duration.ofSeconds(20), j -> everyServer(j,
                s -> s.get("requests_per_second").asDouble() > 0 && !s.get("p50_micros").isNull()
                        && s.get("history").get("requests_per_second").size() >= 1));
        JsonNode process = r.get("process");
        assertThat(process.get("service").asText()).isEqualTo("shardgate");
        assertThat(process.get("workers").asInt()).isEqualTo(2);
        assertThat(process.get("workers_answered").asInt()).isEqualTo(2);
        assertThat(process.get("transport").asText()).isIn("io_uring", "epoll", "nio");
        assertThat(process.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        // the rates' window reaches back to the first sample at least 5 s old, within the 10 samples kept
        assertThat(process.get("rate_window_ms").asLong()).isBetween(5_000L, 20_000L);
        assertThat(process.get("now").asLong() - process.get("sampled_at").asLong()).isBetween(0L, 5_000L);
        assertThat(process.get("config").get("file").asText()).isEqualTo("status-test.yml");
        assertThat(process.get("config").get("digest").asText()).isEqualTo(ConfigDigest.of(fixture.config()));
        assertThat(process.get("config").get("last_reload").isNull()).as("no reload yet").isTrue();
        assertThat(process.get("memory").get("heap_used").asLong()).isPositive();
        assertThat(process.get("memory").get("rss").asLong()).isPositive();
        assertThat(process.get("connections_open").asLong()).isPositive();

        assertThat(r.get("pools")).hasSize(2);
        List<Integer> ports = fixture.poolPorts();
        JsonNode alpha = pool(r, ALPHA);
        assertThat(alpha.get("listen").asText()).isEqualTo("127.0.0.1:" + ports.get(0));
        assertThat(alpha.get("distribution").asText()).isEqualTo("ketama");
        assertThat(alpha.get("hash").asText()).isEqualTo("fnv1a_64");
        assertThat(alpha.get("auto_eject_hosts").asBoolean()).isTrue();
        JsonNode beta = pool(r, BETA);
        assertThat(beta.get("listen").asText()).isEqualTo("127.0.0.1:" + ports.get(1));
        assertThat(beta.get("distribution").asText()).isEqualTo("modula");
        assertThat(beta.get("hash").asText()).isEqualTo("murmur");
        for (JsonNode p : List.of(alpha, beta)) {
            assertThat(p.get("client_connections").asLong()).as("the load's one connection").isEqualTo(1);
            assertThat(p.get("servers_up").asInt()).isEqualTo(p.get("servers").size());
            assertThat(p.get("errors_per_second").asDouble()).isZero();
            double perServer = 0;
            for (JsonNode s : p.get("servers")) {
                assertThat(s.get("state").asText()).isEqualTo(StatusReport.UP);
                assertThat(s.get("connections").asLong()).as("one per worker").isEqualTo(2);
                assertThat(s.get("failures").asLong()).isZero();
                assertThat(s.get("ejected_at").isNull()).isTrue();
                assertThat(s.get("p99_micros").asDouble()).isGreaterThanOrEqualTo(s.get("p50_micros").asDouble());
                perServer += s.get("requests_per_second").asDouble();
            }
            // one-key requests: the pool's client requests are its servers' requests (but for a few in flight)
            double pool = p.get("requests_per_second").asDouble();
            assertThat(pool).isPositive();
            assertThat(Math.abs(pool - perServer)).isLessThanOrEqualTo(pool * 0.1 + 2);
        }
        assertThat(server(r, ALPHA, "cache-b").get("address").asText())
                .isEqualTo("127.0.0.1:" + fixture.alpha(1).port());
        assertThat(server(r, BETA, "127.0.0.1:" + fixture.beta(0).port()).get("weight").asInt()).isEqualTo(1);

        // live: the next sample moves on
        long sampled = process.get("sampled_at").asLong();
        JsonNode later = fixture.awaitStatus(Duration.ofSeconds(5),
                j -> j.get("process").get("sampled_at").asLong() > sampled);
        assertThat(later.get("process").get("uptime_seconds").asLong())
                .isGreaterThanOrEqualTo(process.get("uptime_seconds").asLong());
    }

    @Test
    void aKilledServerIsEjectedWithItsTimesOrFailingWithoutAutoEject() {
        fixture.awaitStatus(Duration.ofSeconds(20), j -> everyServer(j,
                s -> s.get("requests_per_second").asDouble() > 0));
        long killedAt = System.currentTimeMillis();
        fixture.alpha(1).kill(); // auto_eject_hosts, failure limit 1: out at its first failure
        fixture.beta(1).kill(); // no auto-eject: stays in, its requests fail
        JsonNode r = fixture.awaitStatus(Duration.ofSeconds(10),
                j -> server(j, ALPHA, "cache-b").get("state").asText().equals(StatusReport.EJECTED)
                        && server(j, BETA, "127.0.0.1:" + fixture.beta(1).port()).get("state").asText()
                                .equals(StatusReport.FAILING));
        JsonNode ejected = server(r, ALPHA, "cache-b");
        long at = ejected.get("ejected_at").asLong();
        assertThat(at).isBetween(killedAt - 1_000, System.currentTimeMillis());
        assertThat(ejected.get("retry_at").asLong()).isEqualTo(at + StatusFixture.RETRY_MS);
        assertThat(ejected.get("last_ejected_at").asLong()).isBetween(at - 1_000, at + 1_000);
        assertThat(ejected.get("failures").asLong()).isPositive();
        assertThat(ejected.get("connections").asLong()).isZero();
        JsonNode alpha = pool(r, ALPHA);
        assertThat(alpha.get("servers_ejected").asInt()).isEqualTo(1);
        assertThat(alpha.get("servers_up").asInt()).isEqualTo(2);
        assertThat(server(r, ALPHA, "cache-a").get("state").asText()).isEqualTo(StatusReport.UP);

        JsonNode failing = server(r, BETA, "127.0.0.1:" + fixture.beta(1).port());
        assertThat(failing.get("recent_failures").asLong()).isPositive();
        assertThat(failing.get("ejected_at").isNull()).isTrue();
        assertThat(pool(r, BETA).get("servers_failing").asInt()).isEqualTo(1);
        JsonNode errors = fixture.awaitStatus(Duration.ofSeconds(10),
                j -> pool(j, BETA).get("errors_per_second").asDouble() > 0);
        assertThat(server(errors, BETA, "127.0.0.1:" + fixture.beta(0).port()).get("state").asText())
                .isEqualTo(StatusReport.UP);

        // the same state in /health and /metrics
        assertThat(fixture.http("/health").body()).contains("pool alpha: 2/3 servers live", "pool beta: 2/2 servers live");
        Map<String, Double> m = StatsClient.samples(fixture.http("/metrics").body());
        assertThat(m.get(key("shardgate_server_ejected", "pool", ALPHA, "server", "cache-b"))).isEqualTo(1.0);
        assertThat(m.get(key("shardgate_server_ejected", "pool", ALPHA, "server", "cache-a"))).isZero();
    }

    @Test
    void thePageIsServedFromTheJarAndLoadsNothingFromElsewhere() {
        HttpResponse<String> page = fixture.http("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(StatusPage.CONTENT_SECURITY_POLICY);
        assertThat(page.body()).contains("<link rel=\"stylesheet\" href=\"status.css\">",
                "<script src=\"status.js\" defer></script>");
        assertThat(fixture.http("/index.html").body()).isEqualTo(page.body());
        for (String[] asset : new String[][] {{"/status.js", "text/javascript; charset=utf-8"},
                {"/status.css", "text/css; charset=utf-8"}, {"/favicon.svg", "image/svg+xml"}}) {
            HttpResponse<String> r = fixture.http(asset[0]);
            assertThat(r.statusCode()).as(asset[0]).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(asset[0]).hasValue(asset[1]);
            assertThat(r.body()).as(asset[0]).isNotBlank();
        }
        // the only absolute URL in any of the files is the SVG namespace, which names and loads nothing
        for (String path : List.of("/", "/status.js", "/status.css", "/favicon.svg")) {
            String body = fixture.http(path).body().replace("http://www.w3.org/2000/svg", "");
            assertThat(body).as(path).doesNotContain("http://", "https://", "@import", "url(");
        }
        HttpResponse<String> json = fixture.http("/status.json");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(fixture.http("/nope").statusCode()).isEqualTo(404);
        assertThat(fixture.http("/status.css/x").statusCode()).isEqualTo(404);

        // bound to loopback: another Host (a DNS-rebinding page's) is refused, loopback names are served
        assertThat(fixture.statusLineWithHost("evil.example", "/status.json")).isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(fixture.statusLineWithHost("evil.example:" + fixture.admin().getPort(), "/metrics"))
                .isEqualTo("HTTP/1.1 403 Forbidden");
        assertThat(fixture.statusLineWithHost("localhost:" + fixture.admin().getPort(), "/status.json"))
                .isEqualTo("HTTP/1.1 200 OK");
        assertThat(fixture.statusLineWithHost("127.0.0.1", "/")).isEqualTo("HTTP/1.1 200 OK");
    }
}
