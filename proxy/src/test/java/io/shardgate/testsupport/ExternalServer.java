package io.shardgate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real server program (memcached, redis-server, nutcracker) started by a test on a loopback port.
 * A missing program is a setup error: the test fails, it is never skipped. Only the process started here is
 * ever signalled, by its own PID.
 */
public class ExternalServer implements AutoCloseable {
    /** Every process started here and not yet closed; a JVM that ends without closing them still ends them. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "end-test-servers"));
    }

    private final String label;
    private final List<String> command;
    private final int port;
    private final Path logFile;
    private Process process;

    protected ExternalServer(String label, List<String> command, int port) {
        this.label = label;
        this.command = List.copyOf(command);
        this.port = port;
        try {
            this.logFile = Files.createTempFile("shardgate-" + label + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The absolute path of a program, looked up on PATH and in the sbin folders Debian installs daemons to. */
    public static String requireProgram(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        throw new IllegalStateException(name + " is not installed: run scripts/test.sh, which installs memcached, "
                + "redis-server, nutcracker, libmemcached-tools, chromium and chromium-driver with apt-get, or install "
                + "them yourself");
    }

    public final int port() {
        return port;
    }

    public final String address() {
        return "127.0.0.1:" + port;
    }

    public final long pid() {
        return process.pid();
    }

    /** Starts the process (again, after {@link #kill()}) and waits until it listens. */
    public ExternalServer launch() {
        if (process != null && process.isAlive()) return this;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + label + ": " + command, e);
        }
        LIVE.add(process);
        awaitListening(Duration.ofSeconds(10));
        return this;
    }

    private void awaitListening(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited with " + process.exitValue() + " at start; log:\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException(label + " did not listen on port " + port + " within " + limit + "; log:\n" + log());
    }

    /** Freezes the process (SIGSTOP): it keeps its sockets open and answers nothing. */
    public void pause() {
        signal("STOP");
        awaitStopped(true);
    }

    /** Thaws a process frozen by {@link #pause()} (SIGCONT). */
    public void resume() {
        signal("CONT");
        awaitStopped(false);
    }

    // kill(1) returns once the signal is sent, not once every thread has stopped: a thread busy on another core can
    // still answer a request sent right after (ServerFailureIT saw a reply from a "frozen" memcached under load).
    private void awaitStopped(boolean stopped) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (allThreadsStopped() != stopped) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pid " + process.pid() + (stopped ? " did not stop" : " did not resume"));
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private boolean allThreadsStopped() {
        Path tasks = Path.of("/proc", Long.toString(process.pid()), "task");
        try (var threads = Files.list(tasks)) {
            return threads.allMatch(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // the state follows the parenthesised command name, which may itself hold spaces or parentheses
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    return state == 'T' || state == 't';
                } catch (IOException gone) {
                    return true; // a thread that has exited answers nothing either
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        waitFor();
        LIVE.remove(process);
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void waitFor() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process == null) return;
        LIVE.remove(process);
        if (process.isAlive()) {
            signal("CONT"); // a paused process would ignore SIGTERM until thawed
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return label + "@" + address();
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
