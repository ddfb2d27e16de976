package io.shardgate.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a stats port (nutcracker's or shardgate's) and a /metrics page, for tests. */
final class StatsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * One client for every request: a client per request left an open keep-alive connection and a selector thread
     * behind each until a garbage collection, hundreds of them for a test that polls.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StatsClient() {}

    /** The raw report: connect, read to end of stream. */
    static String raw(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(int port) {
        try {
            return JSON.readTree(raw(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until {@code until} holds (counters the proxy updates when it notices an event), or fails after 10 s. */
    static JsonNode await(int port, Predicate<JsonNode> until) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = read(port);
            if (until.test(last)) return last;
            sleep(20);
        }
        throw new AssertionError("stats never matched; last report: " + last);
    }

    static HttpResponse<String> http(InetSocketAddress address, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + address.getPort() + path)).timeout(Duration.ofSeconds(10)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * The samples of a Prometheus text page, keyed {@code name{a="x",b="y"}} with labels sorted by name (so a test
     * can spell a key without knowing the writer's label order).
     */
    static Map<String, Double> samples(String page) {
        Map<String, Double> out = new HashMap<>();
        for (String line : page.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new AssertionError("not a sample line: " + line);
            TreeMap<String, String> labels = new TreeMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) labels.put(l.group(1), l.group(2));
            }
            out.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
        }
        return out;
    }

    /** {@code key("m", "pool", "p", "server", "s")} is {@code m{pool="p",server="s"}}. */
    static String key(String name, String... labelPairs) {
        TreeMap<String, String> labels = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) labels.put(labelPairs[i], labelPairs[i + 1]);
        return key(name, labels);
    }

    private static String key(String name, TreeMap<String, String> labels) {
        if (labels.isEmpty()) return name;
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
