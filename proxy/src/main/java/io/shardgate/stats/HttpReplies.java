package io.shardgate.stats;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small pieces every admin HTTP handler shares: method checks, replies, and the loopback Host rule. */
final class HttpReplies {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private HttpReplies() {}

    /** True for GET and HEAD; otherwise answers 405 and returns false. */
    static boolean isGetOrHead(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) return true;
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return false;
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(exchange, status, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether a request's {@code Host} names this machine's loopback: {@code localhost} or a loopback address
     * literal (no name is looked up). A listener bound to loopback answers only those, so a web page elsewhere
     * cannot read it through DNS rebinding. A request without a Host header (HTTP/1.0) passes.
     */
    static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) return true;
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            if (end < 0) return false;
            try {
                // brackets make the JDK parse an IPv6 literal and refuse anything else, never look it up
                return InetAddress.getByName(name.substring(0, end + 1)).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        int colon = name.lastIndexOf(':');
        if (colon >= 0) name = name.substring(0, colon);
        if (name.equals("localhost") || name.endsWith(".localhost")) return true;
        return isLoopbackIpv4(name);
    }

    /** 127.0.0.0/8 written as four decimal octets. */
    private static boolean isLoopbackIpv4(String name) {
        if (!IPV4.matcher(name).matches()) return false;
        for (String octet : name.split("\\.")) {
            if (Integer.parseInt(octet) > 255) return false;
        }
        return name.startsWith("127.");
    }
}
