package io.shardgate.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live status page of the admin listener: {@code GET /} serves a page (HTML, CSS and a small script from the
 * jar; nothing from anywhere else) that polls {@code GET /status.json} every second. A sampler thread collects the
 * workers' counters once a second into a {@link StatusHistory}; serving the JSON reads only that history and the
 * pools' health, so any number of open pages adds no work on the workers.
 */
final class StatusPage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);
    static final long SAMPLE_INTERVAL_MS = 1_000;
    static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    /** The page may load only what this listener serves, and nothing may frame it. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String RESOURCES = "/io/shardgate/stats/status/";

    private record Asset(String contentType, byte[] body) {}

    private final Map<String, Asset> assets = Map.of(
            "/", asset("index.html", "text/html; charset=utf-8"),
            "/status.css", asset("status.css", "text/css; charset=utf-8"),
            "/status.js", asset("status.js", "text/javascript; charset=utf-8"),
            "/favicon.svg", asset("favicon.svg", "image/svg+xml"));
    private final StatsAggregator aggregator;
    private final ProcessInfo info;
    private final StatusHistory history = new StatusHistory();
    private final ScheduledExecutorService sampler;

    StatusPage(StatsAggregator aggregator, ProcessInfo info) {
        this.aggregator = aggregator;
        this.info = info;
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardgate-status-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sampleQuietly, 0, SAMPLE_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Serves {@code path} if it is one of the page's files; false if it is not. */
    boolean serveAsset(String path, HttpExchange exchange) throws IOException {
        Asset asset = assets.get(path.equals("/index.html") ? "/" : path);
        if (asset == null) return false;
        exchange.getResponseHeaders().set("Content-Type", asset.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        HttpReplies.send(exchange, 200, asset.body());
        return true;
    }

    void json(HttpExchange exchange) throws IOException {
        byte[] body = JSON.writeValueAsBytes(report());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        HttpReplies.send(exchange, 200, body);
    }

    /** The report as of the last sample (taking one first if there is none yet). */
    StatusReport report() {
        StatusHistory.Window window = history.window();
        if (window == null) {
            sample();
            window = history.window();
        }
        return StatusReporter.report(window, info, aggregator.startMillis(), SAMPLE_INTERVAL_MS,
                System.currentTimeMillis(), ProcessMemory.read());
    }

    private synchronized void sample() {
        StatsSnapshot snapshot = aggregator.collect();
        history.add(System.nanoTime(), System.currentTimeMillis(), snapshot);
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            log.warn("status page: sampling the stats failed", e);
        }
    }

    private static Asset asset(String name, String contentType) {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IllegalStateException("the jar has no " + RESOURCES + name);
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
