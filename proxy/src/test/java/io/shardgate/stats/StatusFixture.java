package io.shardgate.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Two pools of real memcached behind shardgate with its admin listener on loopback, for the status page's tests:
 * {@code alpha} (three named servers, ketama, ejects a server at its first failure for 30 s) and {@code beta} (two
 * servers, modula over murmur, no auto-eject). Every listener is on a real free port, so the page shows real
 * addresses. The request timeout is long (5 s), so a busy machine's slow reply never ejects a server behind the
 * test's back; a killed server's connections fail at once anyway.
 */
final class StatusFixture implements AutoCloseable {
    static final String ALPHA = "alpha";
    static final String BETA = "beta";
    static final long RETRY_MS = 30_000;
    static final long TIMEOUT_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<MemcachedServer> alpha = new ArrayList<>();
    private final List<MemcachedServer> beta = new ArrayList<>();
    private final ProxyConfig config;
    private final ShardGateServer proxy;

    StatusFixture() throws InterruptedException {
        try {
            for (int i = 0; i < 3; i++) alpha.add(MemcachedServer.start());
            for (int i = 0; i < 2; i++) beta.add(MemcachedServer.start());
            List<ServerConfig> a = new ArrayList<>();
            String[] names = {"cache-a", "cache-b", "cache-c"};
            for (int i = 0; i < alpha.size(); i++) a.add(new ServerConfig("127.0.0.1", alpha.get(i).port(), 1, names[i]));
            List<ServerConfig> b = beta.stream().map(s -> new ServerConfig("127.0.0.1", s.port(), 1, null)).toList();
            PoolConfig alphaPool = new PoolConfig(ALPHA, ListenAddress.tcp("127.0.0.1", FreePorts.next()),
                    HashKind.FNV1A_64, null, DistributionKind.KETAMA, TIMEOUT_MS, 512, 0, false, null, 0, true, true, 1,
                    RETRY_MS, 1, false, a);
            PoolConfig betaPool = new PoolConfig(BETA, ListenAddress.tcp("127.0.0.1", FreePorts.next()),
                    HashKind.MURMUR, null, DistributionKind.MODULA, TIMEOUT_MS, 512, 0, false, null, 0, true, false, 1,
                    RETRY_MS, 2, false, b);
            config = new ProxyConfig(Path.of("status-test.yml"), List.of(alphaPool, betaPool));
            proxy = ShardGateServer.start(config, ServerSettings.defaults().withWorkers(2).withStats(0, 30_000)
                    .withAdmin(0, InetAddress.getLoopbackAddress()));
        } catch (RuntimeException | InterruptedException e) {
            alpha.forEach(MemcachedServer::close);
            beta.forEach(MemcachedServer::close);
            throw e;
        }
    }

    ProxyConfig config() {
        return config;
    }

    ShardGateServer proxy() {
        return proxy;
    }

    List<Integer> poolPorts() {
        return config.pools().stream().map(p -> p.listen().port()).toList();
    }

    MemcachedServer alpha(int i) {
        return alpha.get(i);
    }

    MemcachedServer beta(int i) {
        return beta.get(i);
    }

    InetSocketAddress admin() {
        return proxy.stats().adminAddress();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + admin().getPort();
    }

    HttpResponse<String> http(String path) {
        return StatsClient.http(admin(), path);
    }

    JsonNode status() {
        HttpResponse<String> r = http("/status.json");
        if (r.statusCode() != 200) throw new AssertionError("/status.json answered " + r.statusCode() + ": " + r.body());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads /status.json until {@code until} holds, or fails after {@code limit}. */
    JsonNode awaitStatus(Duration limit, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = status();
            if (until.test(last)) return last;
            StatsClient.sleep(200);
        }
        throw new AssertionError("/status.json never matched within " + limit + "; last: " + last);
    }

    static JsonNode pool(JsonNode status, String name) {
        for (JsonNode p : status.get("pools")) {
            if (p.get("name").asText().equals(name)) return p;
        }
        throw new AssertionError("no pool " + name + " in " + status);
    }

    static JsonNode server(JsonNode status, String pool, String name) {
        for (JsonNode s : pool(status, pool).get("servers")) {
            if (s.get("name").asText().equals(name)) return s;
        }
        throw new AssertionError("no server " + name + " in pool " + pool);
    }

    /** One request with a Host header of our choosing (the JDK's client will not set one): the status line. */
    String statusLineWithHost(String host, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", admin().getPort()), 2_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return reply.substring(0, reply.indexOf("\r\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        proxy.close();
        alpha.forEach(MemcachedServer::close);
        beta.forEach(MemcachedServer::close);
    }
}
