package io.shardgate.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real memcached or redis-server started on a loopback port, which faults are done to by its own PID: killed
 * (SIGKILL, as a crash), frozen (SIGSTOP) and thawed (SIGCONT), started again on the same port with nothing in it.
 * A missing program is an error, never a skip.
 */
public final class BackendProcess implements AutoCloseable {
    public enum Kind { MEMCACHED, REDIS }

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "end-backends"));
    }

    private final Kind kind;
    private final int port;
    private final Path log;
    private Process process;
    private boolean stopped;

    private BackendProcess(Kind kind, int port, Path log) {
        this.kind = kind;
        this.port = port;
        this.log = log;
    }

    /** Starts one on a free loopback port; its output goes to {@code logDir}. */
    public static BackendProcess start(Kind kind, Path logDir) {
        try {
            Files.createDirectories(logDir);
            int port = freePort();
            BackendProcess b = new BackendProcess(kind, port,
                    logDir.resolve(kind.name().toLowerCase(java.util.Locale.ROOT) + "-" + port + ".log"));
            b.launch();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Kind kind() {
        return kind;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.MEMCACHED) {
            cmd.addAll(List.of(program("memcached"), "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0",
                    "-m", "256", "-t", "1", "-c", "4096"));
            if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "root"));
        } else {
            cmd.addAll(List.of(program("redis-server"), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
                    "--maxclients", "4000"));
        }
        return cmd;
    }

    /** Starts the process (again, empty, on the same port) and waits until it accepts connections. */
    public void launch() {
        if (isRunning()) return;
        try {
            process = new ProcessBuilder(command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + kind + ": " + e.getMessage(), e);
        }
        LIVE.add(process);
        stopped = false;
        // generous: on a shared machine a process may get no CPU for seconds
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException(kind + " on port " + port + " exited at start; see " + log);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException(kind + " did not listen on port " + port + " within 30 s; see " + log);
    }

    /** SIGKILL: the process dies at once with everything it stored. */
    public void kill() {
        if (process == null) return;
        if (stopped) resume();
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /** SIGSTOP: the process keeps its sockets (the kernel still accepts connections for it) and answers nothing. */
    public void pause() {
        signal("STOP");
        stopped = true;
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
        stopped = false;
    }

    private void signal(String name) {
        try {
            Process p = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) return;
        if (stopped) resume();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "@127.0.0.1:" + port;
    }

    static String program(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
        }
        throw new IllegalStateException(name + " is not installed (scripts/install-deps.sh installs it)");
    }

    /** A loopback port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
