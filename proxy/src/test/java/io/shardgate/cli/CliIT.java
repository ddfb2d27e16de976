package io.shardgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RawClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command, {@code java -jar target/shardgate.jar} and {@code bin/shardgate}, as separate processes.
 *
 * <p>The daemon test runs the real proxy in front of a real memcached and sends it traffic.
 */
class CliIT {
    private static final Path JAR = Path.of("target/shardgate.jar").toAbsolutePath();
    private static final Path LAUNCHER = Path.of("../bin/shardgate").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** Processes this test started and must not leave behind, by pid. */
    private final List<Long> started = new ArrayList<>();

    record Run(int status, String out, String err) {}

    @BeforeAll
    static void jarIsBuilt() {
        assertThat(JAR).as("failsafe runs after package").exists();
    }

    @AfterEach
    void stopWhatWasStarted() {
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
                if (p.isAlive()) p.destroyForcibly();
            });
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Run exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        // read both streams fully; the outputs here are small
        var out = p.getInputStream();
        var err = p.getErrorStream();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits: " + command).isTrue();
        return new Run(p.exitValue(), new String(out.readAllBytes()), new String(err.readAllBytes()));
    }

    private static Run jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private Path config(int port) throws IOException {
        return config(port, 11211);
    }

    private Path config(int port, int memcachedPort) throws IOException {
        return Files.writeString(dir.resolve("shardgate.yml"),
                "alpha:\n  listen: 127.0.0.1:" + port + "\n  servers:\n   - 127.0.0.1:" + memcachedPort + ":1\n");
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        Run r = jar("-V");
        assertThat(r.status()).isZero();
        assertThat(r.out()).matches("This is shardgate-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R\\R");
    }

    @Test
    void help() throws Exception {
        Run r = jar("--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("Usage: shardgate", "--conf-file", "--threads");
    }

    @Test
    void testConfGoodAndBad() throws Exception {
        Path good = config(22121);
        Run ok = jar("-t", "-c", good.toString());
        assertThat(ok.status()).isZero();
        assertThat(ok.err()).isEqualTo("shardgate: configuration file '" + good + "' syntax is ok\n");

        Path bad = Files.writeString(dir.resolve("bad.yml"), "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - x\n");
        Run refused = jar("--test-conf", "--conf-file", bad.toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("shardgate: " + bad + ":4: pool 'alpha': key 'servers': 'x' is not in the "
                + "form host:port:weight [name]\nshardgate: configuration file '" + bad + "' syntax is invalid\n");
    }

    @Test
    void badFlagValue() throws Exception {
        Run r = jar("-m", "100");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("shardgate: mbuf chunk size must be between 512 and 16777216 bytes\n");
    }

    @Test
    void launcherScriptRunsTheJar() throws Exception {
        Run r = exec(List.of(LAUNCHER.toString(), "-V"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("This is shardgate-");
    }

    @Test
    void aRunThatCannotStartExitsNonZeroWithTheReason() throws Exception {
        // the port is taken, so this fails with the real core as well as before it lands
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path conf = config(taken.getLocalPort());
            Path log = dir.resolve("shardgate.log");
            Run r = jar("-c", conf.toString(), "-o", log.toString(), "-p", dir.resolve("pid").toString());
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("shardgate: cannot start: ");
            assertThat(Files.readString(log)).contains("ERROR [main] cannot start: ");
            assertThat(dir.resolve("pid")).doesNotExist();
        }
    }

    @Test
    void daemonThatCannotStartMakesTheParentFail() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path conf = config(taken.getLocalPort());
            Path pid = dir.resolve("shardgate.pid");
            Run r = jar("-d", "-c", conf.toString(), "-p", pid.toString());
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("shardgate: cannot start: ");
            assertThat(pid).doesNotExist();
        }
    }

    @Test
    void daemonizeServesWritesThePidFileAndSigtermRemovesIt() throws Exception {
        try (MemcachedServer memcached = MemcachedServer.start()) {
            daemonizeAgainst(memcached);
        }
    }

    private void daemonizeAgainst(MemcachedServer memcached) throws Exception {
        int port = FreePorts.next();
        Path conf = config(port, memcached.port());
        Path pid = dir.resolve("shardgate.pid");
        Path log = dir.resolve("shardgate.log");

        int statsPort = FreePorts.next();
        int adminPort = FreePorts.next();
        Run r = jar("-d", "-c", conf.toString(), "-p", pid.toString(), "-o", log.toString(), "-v", "6",
                "-s", Integer.toString(statsPort), "-a", "127.0.0.1", "-i", "1000", "--admin-port", Integer.toString(adminPort));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(pid).exists();
        long daemonPid = Long.parseLong(Files.readString(pid).strip());
        started.add(daemonPid);
        ProcessHandle daemon = ProcessHandle.of(daemonPid).orElseThrow();
        assertThat(daemon.isAlive()).isTrue();
        assertThat(sessionOf(daemonPid)).as("setsid: the daemon leads its own session").isEqualTo(daemonPid);
        try (RawClient client = RawClient.connect(port)) { // the daemon really proxies
            client.send("set daemon 0 0 2\r\nok\r\nget daemon\r\n");
            assertThat(client.readLike("STORED\r\nVALUE daemon 0 2\r\nok\r\nEND\r\n"))
                    .isEqualTo("STORED\r\nVALUE daemon 0 2\r\nok\r\nEND\r\n");
        }
        assertThat(Files.readString(log)).contains("started on pid " + daemonPid, "stats listening on 127.0.0.1:" + statsPort,
                "admin HTTP (status page /, /metrics, /health) listening on 127.0.0.1:" + adminPort);

        // the stats port and /metrics of the daemon show that traffic
        var stats = new com.fasterxml.jackson.databind.ObjectMapper().readTree(readAll(statsPort));
        assertThat(stats.get("alpha").get("127.0.0.1:" + memcached.port()).get("requests").asLong()).isEqualTo(2);
        String metrics = httpGet(adminPort, "/metrics");
        assertThat(metrics).contains("shardgate_server_requests_total{pool=\"alpha\",server=\"127.0.0.1:" + memcached.port()
                + "\"} 2", "jvm_memory_used_bytes");
        assertThat(httpGet(adminPort, "/health")).startsWith("OK");

        // logrotate: the file is moved away, SIGHUP reopens it by name; SIGTTIN and SIGTTOU step the level
        Path rotated = dir.resolve("shardgate.log.1");
        Files.move(log, rotated);
        signal("HUP", daemonPid);
        awaitExists(log, Duration.ofSeconds(10));
        signal("TTIN", daemonPid);
        awaitContains(log, "up log level to 7", Duration.ofSeconds(10)); // each signal has its own handler thread
        signal("TTOU", daemonPid);
        awaitContains(log, "down log level to 6", Duration.ofSeconds(10));
        assertThat(Files.readString(rotated)).contains("signal 1 (SIGHUP) received, reopening log file");
        assertThat(Files.readString(log)).contains("signal 21 (SIGTTIN) received, up logging level",
                "up log level to 7", "signal 22 (SIGTTOU) received, down logging level");

        daemon.destroy(); // SIGTERM
        daemon.onExit().get(20, TimeUnit.SECONDS);
        awaitGone(pid, Duration.ofSeconds(5));
        assertThat(Files.readString(log)).contains("shutting down", "INFO  [shutdown] done");
    }

    private static String readAll(int port) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static String httpGet(int port, String path) throws IOException, InterruptedException {
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** Sends a signal to a process this test started, by its pid. */
    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static void awaitExists(Path file, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(file).exists();
    }

    private static void awaitContains(Path file, String text, Duration limit) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!(Files.exists(file) && Files.readString(file).contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(file)).contains(text);
    }

    /** The session id of a process, from /proc (Linux). */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]); // state, ppid, pgrp, session
    }

    private static void awaitGone(Path file, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(file).doesNotExist();
    }
}
