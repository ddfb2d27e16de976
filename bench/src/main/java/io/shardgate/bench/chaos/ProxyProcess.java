package io.shardgate.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * shardgate as its own process, started through the launcher ({@code bin/shardgate}, which execs the JVM, so the
 * PID is the JVM's) with an admin port, so its memory is the process's own and is read from {@code /metrics}.
 */
public final class ProxyProcess implements AutoCloseable {
    private final Process process;
    private final int adminPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProxyProcess(Process process, int adminPort, Path log) {
        this.process = process;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * Runs {@code launcher -c config -s statsPort --admin-port adminPort --threads threads} and waits until every
     * port in {@code listenPorts} accepts connections. {@code extraJavaOptions} go to the launcher's
     * {@code JAVA_OPTS_EXTRA}, after its defaults.
     */
    public static ProxyProcess start(Path launcher, Path config, int threads, List<Integer> listenPorts, Path logDir,
            String extraJavaOptions) throws InterruptedException {
        int statsPort = BackendProcess.freePort();
        int adminPort = BackendProcess.freePort();
        Path log = logDir.resolve("shardgate.log");
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "-c", config.toString(), "-s",
                Integer.toString(statsPort), "--admin-port", Integer.toString(adminPort), "--threads",
                Integer.toString(threads)));
        Process p;
        try {
            Files.createDirectories(logDir);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("JAVA_OPTS_EXTRA", extraJavaOptions);
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd + ": " + e.getMessage(), e);
        }
        ProxyProcess proxy = new ProxyProcess(p, adminPort, log);
        List<Integer> ports = new ArrayList<>(listenPorts);
        ports.add(adminPort);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int port : ports) {
            while (true) {
                if (!p.isAlive()) throw new IllegalStateException("shardgate exited at start; see " + log);
                if (System.nanoTime() > deadline) {
                    proxy.close();
                    throw new IllegalStateException("shardgate did not listen on " + port + " within 60 s; see " + log);
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
        }
        return proxy;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The admin listener's {@code /metrics}, parsed. */
    public Metrics metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        return Metrics.parse(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
