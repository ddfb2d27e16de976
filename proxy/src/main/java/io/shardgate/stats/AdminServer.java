package io.shardgate.stats;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP admin listener: the live status page ({@code GET /}, its {@code /status.json}, see {@link StatusPage}),
 * {@code GET /metrics} in the Prometheus text format (or OpenMetrics when the scraper asks for it), and
 * {@code GET /health} for load balancers: 200 while the proxy serves, 503 once it is shutting down. One thread
 * serves it, off the workers. Bound to a loopback address, it answers only requests whose {@code Host} names
 * loopback (see {@link HttpReplies#isLoopbackHost}).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer http;
    private final ExecutorService executor;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final StatsAggregator aggregator;
    private final BooleanSupplier serving;
    private final StatusPage status;
    private final boolean loopbackOnly;

    private AdminServer(HttpServer http, StatsAggregator aggregator, BooleanSupplier serving, ProcessInfo info) {
        this.http = http;
        this.aggregator = aggregator;
        this.serving = serving;
        this.loopbackOnly = http.getAddress().getAddress().isLoopbackAddress();
        registry.register(new PrometheusCollector(aggregator));
        JvmMetrics.builder().register(registry);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shardgate-admin");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        this.status = new StatusPage(aggregator, info);
        http.createContext("/metrics", guarded(this::metrics));
        http.createContext("/health", guarded(this::health));
        http.createContext("/status.json", guarded(this::statusJson));
        http.createContext("/", guarded(this::pageOrNotFound));
    }

    /**
     * Binds {@code address:port} (0 for a free port) and serves. Throws if it cannot bind.
     *
     * @param serving false once the proxy is shutting down, which {@code /health} reports as 503
     */
    public static AdminServer start(InetAddress address, int port, StatsAggregator aggregator, BooleanSupplier serving,
            ProcessInfo info) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for admin HTTP on " + address.getHostAddress() + ":" + port
                    + ": " + e.getMessage(), e);
        }
        AdminServer server = new AdminServer(http, aggregator, serving, info);
        http.start();
        log.info("admin HTTP (status page /, /metrics, /health) listening on {}:{}",
                server.address().getAddress().getHostAddress(), server.address().getPort());
        return server;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isGetOrHead(exchange)) return;
            ExpositionFormatWriter writer = formats.findWriter(exchange.getRequestHeaders().getFirst("Accept"));
            ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
            writer.write(body, registry.scrape());
            exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
            send(exchange, 200, body.toByteArray());
        } catch (RuntimeException e) {
            log.warn("serving /metrics failed", e);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isGetOrHead(exchange)) return;
            boolean up = serving.getAsBoolean();
            StringBuilder body = new StringBuilder(up ? "OK\n" : "SHUTTING DOWN\n");
            StatsSnapshot latest = aggregator.latest();
            for (PoolView pool : aggregator.pools()) {
                int servers = pool.config().servers().size();
                int live = 0;
                for (int s = 0; s < servers; s++) {
                    if (!pool.isEjected(s)) live++;
                }
                body.append("pool ").append(pool.config().name()).append(": ").append(live).append('/')
                        .append(servers).append(" servers live\n");
            }
            if (latest != null) body.append("uptime ").append(latest.uptimeSeconds()).append("s\n");
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            send(exchange, up ? 200 : 503, body.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void statusJson(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isGetOrHead(exchange)) return;
            status.json(exchange);
        } catch (RuntimeException e) {
            log.warn("serving /status.json failed", e);
        }
    }

    private void pageOrNotFound(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isGetOrHead(exchange)) return;
            if (status.serveAsset(exchange.getRequestURI().getPath(), exchange)) return;
            HttpReplies.sendText(exchange, 404, "not found: try /, /status.json, /metrics or /health\n");
        }
    }

    /** Refuses, on a loopback listener, a request whose Host is not loopback (a DNS-rebinding page's). */
    private HttpHandler guarded(HttpHandler handler) {
        return exchange -> {
            if (loopbackOnly && !HttpReplies.isLoopbackHost(exchange.getRequestHeaders().getFirst("Host"))) {
                try (exchange) {
                    HttpReplies.sendText(exchange, 403, "this admin listener is bound to loopback and answers only "
                            + "requests for localhost or a loopback address\n");
                }
                return;
            }
            handler.handle(exchange);
        };
    }

    private static boolean isGetOrHead(HttpExchange exchange) throws IOException {
        return HttpReplies.isGetOrHead(exchange);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        HttpReplies.send(exchange, status, body);
    }

    @Override
    public void close() {
        status.close();
        http.stop(0);
        executor.shutdownNow();
    }
}
