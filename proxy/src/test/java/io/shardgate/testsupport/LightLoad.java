package io.shardgate.testsupport;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A light, steady memcached load on some proxy ports for tests that watch live figures: one thread, one connection
 * per port, a set or a get of one of 1,000 keys (spread over every server) every few milliseconds. Error replies
 * and closed connections are expected while a test breaks servers: they are counted and the connection reopened.
 * It stops on {@link #close()} or after {@code maxSeconds}, whichever comes first.
 */
public final class LightLoad implements AutoCloseable {
    private final List<Integer> ports;
    private final long deadlineNanos;
    private final Thread thread;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean stop;

    private LightLoad(List<Integer> ports, int maxSeconds) {
        this.ports = List.copyOf(ports);
        this.deadlineNanos = System.nanoTime() + maxSeconds * 1_000_000_000L;
        this.thread = new Thread(this::run, "light-load");
        thread.setDaemon(true);
    }

    public static LightLoad start(List<Integer> ports, int maxSeconds) {
        LightLoad load = new LightLoad(ports, maxSeconds);
        load.thread.start();
        return load;
    }

    /** Requests answered as memcached answers them. */
    public long ok() {
        return ok.get();
    }

    /** Requests answered with an error, or lost with their connection. */
    public long errors() {
        return errors.get();
    }

    private void run() {
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) clients.add(null);
        long n = 0;
        try {
            while (!stop && System.nanoTime() < deadlineNanos) {
                for (int i = 0; i < ports.size(); i++) {
                    try {
                        if (clients.get(i) == null) clients.set(i, RawClient.connect(ports.get(i)).timeout(2_000));
                        if (oneRequest(clients.get(i), n)) ok.incrementAndGet();
                        else errors.incrementAndGet();
                    } catch (UncheckedIOException | IllegalStateException e) {
                        errors.incrementAndGet();
                        if (clients.get(i) != null) clients.get(i).close();
                        clients.set(i, null);
                    }
                }
                n++;
                Thread.sleep(4);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (RawClient c : clients) {
                if (c != null) c.close();
            }
        }
    }

    private static boolean oneRequest(RawClient c, long n) {
        String key = "load:" + (n * 7919 % 1000);
        if (n % 5 == 0) {
            c.send("set " + key + " 0 0 2\r\nok\r\n");
            return c.readLine().equals("STORED\r\n");
        }
        c.send("get " + key + "\r\n");
        for (int lines = 0; lines < 4; lines++) {
            String line = c.readLine();
            if (line.equals("END\r\n")) return true;
            if (line.startsWith("SERVER_ERROR") || line.startsWith("CLIENT_ERROR") || line.equals("ERROR\r\n")) {
                return false;
            }
            if (line.startsWith("VALUE ")) c.readLine(); // the value's data line
        }
        throw new IllegalStateException("no END in a get reply");
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
