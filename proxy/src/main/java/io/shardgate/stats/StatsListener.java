package io.shardgate.stats;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nutcracker's stats port: every connection gets one JSON report and is closed; nothing is read from it. One
 * thread accepts and answers in turn, as nutcracker's stats thread does, so a flood of connections costs one
 * thread, never the workers.
 */
public final class StatsListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsListener.class);
    /** A client that does not take its report within this long is dropped. */
    static final int SEND_TIMEOUT_MS = 5_000;

    private final ServerSocket socket;
    private final StatsAggregator aggregator;
    private final Thread thread;
    private volatile boolean closed;

    private StatsListener(ServerSocket socket, StatsAggregator aggregator) {
        this.socket = socket;
        this.aggregator = aggregator;
        this.thread = new Thread(this::run, "shardgate-stats");
        thread.setDaemon(true);
    }

    /** Binds {@code address:port} (port 0 picks a free one) and starts answering. Throws if it cannot bind. */
    public static StatsListener start(InetAddress address, int port, StatsAggregator aggregator) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 64);
        } catch (IOException e) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw new UncheckedIOException("cannot listen for stats on " + address.getHostAddress() + ":" + port
                    + ": " + e.getMessage(), e);
        }
        StatsListener listener = new StatsListener(socket, aggregator);
        listener.thread.start();
        log.info("stats listening on {}:{}", listener.address().getAddress().getHostAddress(), listener.address().getPort());
        return listener;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void run() {
        while (!closed) {
            try (Socket client = socket.accept()) {
                byte[] report = NutcrackerJson.render(aggregator.collect()).getBytes(StandardCharsets.UTF_8);
                client.setSoTimeout(SEND_TIMEOUT_MS);
                OutputStream out = client.getOutputStream();
                out.write(report);
                out.flush();
                log.trace("sent stats to {}: {} bytes", client.getRemoteSocketAddress(), report.length);
            } catch (SocketException e) {
                if (closed) return;
                log.debug("stats connection failed: {}", e.getMessage());
            } catch (IOException | RuntimeException e) {
                if (closed) return;
                log.warn("sending stats failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
