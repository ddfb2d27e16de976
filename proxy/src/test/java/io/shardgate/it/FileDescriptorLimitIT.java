package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.transport.Transport;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RawClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of connections beyond the file-descriptor limit: shardgate runs as its own process under
 * {@code ulimit -n 256} (what bin/shardgate runs), 600 connections arrive and stay. The proxy does not crash or
 * spin, keeps serving the clients it had, and serves new ones once the flood has gone.
 */
class FileDescriptorLimitIT {
    private static final Path LAUNCHER = Path.of("../bin/shardgate").toAbsolutePath().normalize();
    private static final int FD_LIMIT = 256;
    /** Connections opened: beyond the limit, and within the listen backlog (512) of what the proxy cannot take. */
    private static final int FLOOD = 600;

    @TempDir
    Path dir;

    private MemcachedServer memcached;
    private Process proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.destroy();
            if (!proxy.waitFor(10, TimeUnit.SECONDS)) proxy.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (memcached != null) memcached.close();
    }

    @Test
    void connectionsBeyondTheFileDescriptorLimitDoNotStopTheProxy() throws Exception {
        assertThat(Path.of("target/shardgate.jar")).as("failsafe runs after package").exists();
        memcached = MemcachedServer.start();
        int port = FreePorts.next();
        Path config = Files.writeString(dir.resolve("shardgate.yml"), "pool:\n  listen: 127.0.0.1:" + port
                + "\n  timeout: 2000\n  servers:\n   - 127.0.0.1:" + memcached.port() + ":1\n");
        Path log = dir.resolve("shardgate.log");
        ProcessBuilder launch = new ProcessBuilder("bash", "-c",
                "ulimit -n " + FD_LIMIT + " && exec \"$0\" -c \"$1\" -s \"$2\" --threads 2",
                LAUNCHER.toString(), config.toString(), Integer.toString(FreePorts.next()))
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // each failsafe execution names a transport; accept failures are handled differently by each (io_uring spun)
        String transport = System.getProperty(Transport.PROPERTY);
        if (transport != null) launch.environment().put("JAVA_OPTS_EXTRA", "-D" + Transport.PROPERTY + "=" + transport);
        proxy = launch.start();
        awaitListening(port, log);

        List<RawClient> existing = new ArrayList<>();
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) existing.add(RawClient.connect(port));
            for (int i = 0; i < existing.size(); i++) roundTrip(existing.get(i), "before" + i);
            long fdsBefore = openFiles();
            int refusedAtConnect = 0;
            for (int i = 0; i < FLOOD && refusedAtConnect < 5; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 300);
                    flood.add(s);
                } catch (IOException e) {
                    refusedAtConnect++; // the listen backlog is full: the kernel drops the handshake
                    s.close();
                }
            }
            long cpuBefore = cpuTicks();
            long start = System.nanoTime();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < existing.size(); i++) roundTrip(existing.get(i), "during" + round + "x" + i);
                Thread.sleep(200);
            }
            double cpuSeconds = (cpuTicks() - cpuBefore) / 100.0;
            double seconds = (System.nanoTime() - start) / 1e9;
            long fdsDuring = openFiles();
            // every flood connection the proxy took is served; the others are waiting in the backlog: none gets garbage
            int served = 0;
            int silent = 0;
            for (Socket s : flood) {
                try {
                    s.getOutputStream().write("version\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    // counted as silent below
                }
            }
            Thread.sleep(1_000);
            for (Socket s : flood) {
                String got = s.getInputStream().available() > 0 ? readSome(s) : "";
                if (got.startsWith("VERSION ")) served++;
                else if (got.isEmpty() || got.equals("<closed>") || got.equals("<reset>")) silent++;
                else throw new AssertionError("a flood connection got: " + got);
            }
            String logText = Files.readString(log);
            long acceptFailures = logText.lines().filter(l -> l.contains("Too many open files")).count();
            System.out.printf(Locale.ROOT, "fd flood under ulimit -n %d: %d connected (%d not even connected), %d served, "
                            + "%d waiting or closed; proxy fds %d -> %d; proxy CPU %.2f s in %.1f s; %d log lines about "
                            + "running out of files%n", FD_LIMIT, flood.size(), refusedAtConnect, served, silent,
                    fdsBefore, fdsDuring, cpuSeconds, seconds, acceptFailures);
            logText.lines().filter(l -> l.contains("Too many open files")).limit(3).forEach(l -> System.out.println("  log: " + l));
            assertThat(proxy.isAlive()).as("the proxy survives; log:\n" + logText).isTrue();
            assertThat(fdsDuring).as("the proxy ran out of file descriptors").isGreaterThan(FD_LIMIT - 20);
            assertThat(cpuSeconds).as("no busy loop while it cannot accept").isLessThan(seconds * 0.5);
            // one line per pool and 10 s, as for every event that can repeat fast; not a stack trace per try
            assertThat(acceptFailures).as("log lines about running out of files; log:\n" + logText).isLessThanOrEqualTo(2);
        } finally {
            for (Socket s : flood) s.close();
        }
        // once the flood has gone, the clients it had are still served and new ones are taken
        for (int i = 0; i < existing.size(); i++) roundTrip(existing.get(i), "after" + i);
        String reply = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reply.startsWith("VERSION") && System.nanoTime() < deadline) {
            try (RawClient again = RawClient.connect(port)) {
                again.timeout(2_000).send("version\r\n");
                reply = again.readLine();
            } catch (RuntimeException e) {
                reply = e.toString();
                Thread.sleep(100);
            }
        }
        assertThat(reply).as("a new client is served after the flood").startsWith("VERSION");
        for (RawClient c : existing) c.close();
    }

    private static void roundTrip(RawClient c, String key) {
        c.send("set " + key + " 0 0 2\r\nok\r\nget " + key + "\r\n");
        String expected = "STORED\r\nVALUE " + key + " 0 2\r\nok\r\nEND\r\n";
        assertThat(c.readLike(expected)).as("an existing client's round trip").isEqualTo(expected);
    }

    private long openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(proxy.pid()), "fd"))) {
            return s.count();
        }
    }

    private long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(proxy.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private void awaitListening(int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(proxy.isAlive()).as("shardgate exited; log:\n" + Files.readString(log)).isTrue();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("shardgate did not listen; log:\n" + Files.readString(log));
    }

    private static String readSome(Socket s) throws IOException {
        s.setSoTimeout(500);
        StringBuilder b = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[256];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                if (b.indexOf("\r\n") >= 0) return b.toString();
            }
            b.append("<closed>");
        } catch (java.net.SocketTimeoutException quiet) {
            // nothing more
        } catch (IOException reset) {
            b.append("<reset>");
        }
        return b.toString();
    }
}
