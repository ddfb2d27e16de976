package io.shardgate.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Short runs against a real memcached, and against small fake servers that answer wrongly. */
class LoadRunEndToEndTest {
    private static LoadRun.Settings settings(int port, boolean preload, int idle) {
        return new LoadRun.Settings(List.of(new LoadRun.Target("127.0.0.1", port)), 4, 4, 0.5, 0.2, 0.9, 3, 100, 500, "e2e:", preload, false,
                false, idle, 1, 1, 1, List.of(), 100, 5, 5, 60);
    }

    @Test
    void aRunAgainstMemcachedVerifiesEveryReply() throws Exception {
        try (Memcached memcached = Memcached.start()) {
            LoadRun.Settings s = new LoadRun.Settings(List.of(new LoadRun.Target("127.0.0.1", memcached.port)), 4, 4, 0.5, 0.2, 0.9, 3, 100, 500,
                    "e2e:", true, false, false, 20, 1, 1, 1, List.of(memcached.process.pid()), 100, 5, 5, 60);
            LoadRun.Result r = new LoadRun(s).run();
            assertThat(r.preloadRequests()).isEqualTo(500);
            assertThat(r.preloadErrors()).isZero();
            assertThat(r.measured().ok).isGreaterThan(300);
            assertThat(r.measured().gets).isPositive();
            assertThat(r.measured().sets).isPositive();
            assertThat(r.measured().keys).isEqualTo(3 * r.measured().gets + r.measured().sets);
            assertThat(r.errors()).isZero();
            assertThat(r.failed()).isFalse();
            assertThat(r.idleOpenAtEnd()).isEqualTo(20);
            assertThat(r.measured().latency.getTotalCount()).isEqualTo(r.measured().ok);
            assertThat(r.serverCpuSeconds()).hasSize(1);
            assertThat(r.serverCpuSeconds().get(0)).isGreaterThanOrEqualTo(0.0);

            // without preloading, a fresh key space misses: counted as errors unless misses are allowed
            LoadRun.Settings fresh = new LoadRun.Settings(List.of(new LoadRun.Target("127.0.0.1", memcached.port)), 2, 2, 0.3, 0.1, 1.0, 1, 100,
                    500, "fresh:", false, false, false, 0, 1, 1, 1, List.of(), 100, 5, 5, 60);
            LoadRun.Result missed = new LoadRun(fresh).run();
            assertThat(missed.measured().errors[ErrorKind.MISSING_VALUE.ordinal()]).isPositive();
            assertThat(missed.failed()).isTrue();
        }
    }

    @Test
    void connectionsAreSpreadOverSeveralTargets() throws Exception {
        try (Memcached a = Memcached.start(); Memcached b = Memcached.start()) {
            LoadRun.Settings s = new LoadRun.Settings(List.of(new LoadRun.Target("127.0.0.1", a.port),
                    new LoadRun.Target("127.0.0.1", b.port)), 4, 2, 0.3, 0.1, 1.0, 1, 100, 500, "spread:", false, false,
                    true, 0, 1, 1, 1, List.of(), 100, 5, 5, 60);
            LoadRun.Result r = new LoadRun(s).run();
            assertThat(r.errors()).isZero();
            assertThat(r.measured().gets).isPositive();
            long getsA = cmdGet(a.port);
            long getsB = cmdGet(b.port);
            assertThat(getsA).isPositive();
            assertThat(getsB).isPositive();
            assertThat(getsA + getsB).isGreaterThanOrEqualTo(r.measured().gets);
        }
    }

    @Test
    void aTargetIsHostColonPort() {
        assertThat(LoadRun.Target.parse("127.0.0.1:22121")).isEqualTo(new LoadRun.Target("127.0.0.1", 22121));
        assertThatThrownBy(() -> LoadRun.Target.parse("22121")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadRun.Target.parse("host:port")).isInstanceOf(IllegalArgumentException.class);
    }

    /** memcached's own count of get commands served. */
    private static long cmdGet(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (String line = readStatLine(in); !line.equals("END"); line = readStatLine(in)) {
                if (line.startsWith("STAT cmd_get ")) return Long.parseLong(line.substring("STAT cmd_get ".length()));
            }
            throw new AssertionError("no cmd_get in memcached's stats");
        }
    }

    private static String readStatLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) throw new IOException("stats cut short");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    @Test
    void aServerThatAnswersWithWrongValuesFails() throws Exception {
        // answers every get with the value of the right key but another version
        ValueSpec other = new ValueSpec(100, 2);
        try (FakeServer fake = new FakeServer(other, false)) {
            LoadRun.Result r = new LoadRun(settings(fake.port(), false, 0)).run();
            assertThat(r.errors()).isPositive();
            assertThat(r.measured().errors[ErrorKind.WRONG_VALUE.ordinal()]).isPositive();
            assertThat(r.measured().ok).as("sets are still STORED").isEqualTo(r.measured().sets);
            assertThat(r.failed()).isTrue();
        }
    }

    @Test
    void aServerThatSendsGarbageLosesTheConnection() throws Exception {
        try (FakeServer fake = new FakeServer(new ValueSpec(100, 1), true)) {
            LoadRun.Result r = new LoadRun(settings(fake.port(), false, 0)).run();
            assertThat(r.measured().errors[ErrorKind.PROTOCOL.ordinal()]).isPositive();
            assertThat(r.connectionsLost()).isEqualTo(4);
            assertThat(r.problems()).anyMatch(p -> p.contains("unparseable"));
            assertThat(r.failed()).isTrue();
        }
    }

    @Test
    void nothingListeningIsASetupError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> new LoadRun(settings(port, false, 0)).run()).isInstanceOf(LoadRun.SetupException.class);
    }

    /** A real memcached on a free loopback port, ended by its own PID. */
    static final class Memcached implements AutoCloseable {
        final Process process;
        final int port;

        private Memcached(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Memcached start() throws Exception {
            String program = null;
            for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "memcached"))) {
                    program = Path.of(dir, "memcached").toString();
                    break;
                }
            }
            if (program == null) throw new IllegalStateException("memcached is not installed (apt-get install memcached)");
            for (int attempt = 0; attempt < 5; attempt++) {
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
                List<String> cmd = new ArrayList<>(List.of(program, "-l", "127.0.0.1", "-p", Integer.toString(port),
                        "-U", "0", "-t", "1", "-m", "64"));
                if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "root"));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (p.isAlive() && System.nanoTime() < deadline) {
                    try (Socket probe = new Socket()) {
                        probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                        return new Memcached(p, port);
                    } catch (IOException notYet) {
                        Thread.sleep(20);
                    }
                }
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS); // the port was taken meanwhile: try another
            }
            throw new IllegalStateException("memcached did not start");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * A tiny memcached impostor: stores nothing, answers sets STORED and gets with values derived from {@code spec}
     * (a wrong version makes them wrong), or with garbage.
     */
    static final class FakeServer implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> clients = new ArrayList<>();
        private final Thread acceptor;

        FakeServer(ValueSpec spec, boolean garbage) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            KeySpace keys = new KeySpace("e2e:", 500);
            acceptor = new Thread(() -> {
                try {
                    while (!server.isClosed()) {
                        Socket s = server.accept();
                        synchronized (clients) {
                            clients.add(s);
                        }
                        Thread t = new Thread(() -> serve(s, keys, spec, garbage), "fake-memcached-conn");
                        t.setDaemon(true);
                        t.start();
                    }
                } catch (IOException closed) {
                    // closed by the test
                }
            }, "fake-memcached");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private static void serve(Socket s, KeySpace keys, ValueSpec spec, boolean garbage) {
            try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
                String line;
                while ((line = readLine(in)) != null) {
                    String[] words = line.split(" ");
                    if (garbage) {
                        out.write("WHAT?\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else if (words[0].equals("set")) {
                        in.readNBytes(Integer.parseInt(words[4]) + 2);
                        out.write("STORED\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else if (words[0].equals("get")) {
                        for (int i = 1; i < words.length; i++) {
                            int key = Integer.parseInt(words[i].substring("e2e:".length()));
                            out.write(("VALUE " + keys.keyString(key) + " 0 " + spec.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(spec.valueOf(key));
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        }
                        out.write("END\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write("ERROR\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    if (in.available() == 0) out.flush();
                }
            } catch (IOException | RuntimeException gone) {
                // the client hung up
            }
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') return b.toString().stripTrailing();
                b.append((char) c);
            }
            return null;
        }

        @Override
        public void close() throws Exception {
            server.close();
            synchronized (clients) {
                for (Socket s : clients) s.close();
            }
            acceptor.join(2000);
        }
    }
}
