package io.shardgate.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nutcracker's {@code -d}. A JVM cannot fork, so the parent starts the same java binary with the same JVM
 * options, class path and arguments as a detached child (in a new session through {@code setsid} when present,
 * stdin from /dev/null, stdout and stderr to the {@code -o} file or /dev/null), waits until the child reports that
 * it serves, or that it failed, and exits with that outcome.
 *
 * <p>The child learns it is the daemon from a system property naming a report file; it writes
 * {@code ready <pid>} or {@code failed <message>} there (atomically), and the parent polls for it.
 */
final class Daemon {
    /** System property set on the child: the file to report readiness to. */
    static final String REPORT_PROPERTY = "shardgate.daemon.report";
    static final long READY_TIMEOUT_MS = 120_000;

    private Daemon() {}

    /** True in the re-launched child, which must serve rather than daemonize again. */
    static boolean isChild() {
        return System.getProperty(REPORT_PROPERTY) != null;
    }

    /** In the child: tells the parent the proxy serves. */
    static void reportReady() {
        report("ready " + ProcessHandle.current().pid());
    }

    /** In the child: tells the parent why the proxy did not start. */
    static void reportFailed(String message) {
        report("failed " + message.replace('\n', ' '));
    }

    private static void report(String line) {
        String target = System.getProperty(REPORT_PROPERTY);
        if (target == null) return;
        Path file = Path.of(target);
        try {
            Path part = Files.createTempFile(file.toAbsolutePath().getParent(), "report-", ".part");
            Files.writeString(part, line + "\n");
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("shardgate: cannot report to the launching process: " + e.getMessage());
        }
    }

    /**
     * In the parent: starts the child with {@code args} and waits for its report.
     *
     * @param logFile the {@code -o} file the child's stdout and stderr append to, or null for /dev/null
     * @return the exit status for the parent: 0 once the child serves, 1 when it failed
     */
    static int launch(List<String> args, Path logFile, PrintWriter err) {
        Path report;
        try {
            report = Files.createTempFile("shardgate-daemon-", ".report");
        } catch (IOException e) {
            err.println("shardgate: cannot daemonize: " + e.getMessage());
            return 1;
        }
        try {
            List<String> command = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) command.add("/usr/bin/setsid");
            else if (new File("/bin/setsid").canExecute()) command.add("/bin/setsid");
            command.add(javaBinary());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-D" + REPORT_PROPERTY + "=" + report.toAbsolutePath());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Main.class.getName());
            command.addAll(args);

            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile != null
                            ? ProcessBuilder.Redirect.appendTo(logFile.toFile())
                            : ProcessBuilder.Redirect.DISCARD);
            Process child = pb.start();
            return await(child, report, err);
        } catch (IOException e) {
            err.println("shardgate: cannot daemonize: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("shardgate: interrupted while waiting for the daemon to start");
            return 1;
        } finally {
            try {
                Files.deleteIfExists(report);
            } catch (IOException ignored) {
                // a stale temp file is harmless
            }
        }
    }

    private static int await(Process child, Path report, PrintWriter err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            String line = Files.readString(report).strip();
            if (line.startsWith("ready ")) return 0;
            if (line.startsWith("failed ")) {
                err.println("shardgate: " + line.substring("failed ".length()));
                child.waitFor(5, TimeUnit.SECONDS);
                return 1;
            }
            if (!child.isAlive()) {
                // the report may land between the read above and the exit
                String last = Files.readString(report).strip();
                if (last.startsWith("ready ")) return 0;
                if (last.startsWith("failed ")) {
                    err.println("shardgate: " + last.substring("failed ".length()));
                } else {
                    err.println("shardgate: the daemon exited with status " + child.exitValue()
                            + " before it was ready (see its log, -o)");
                }
                return 1;
            }
            Thread.sleep(50);
        }
        err.println("shardgate: the daemon (pid " + child.pid() + ") did not report ready within "
                + READY_TIMEOUT_MS / 1000 + " s; it was left running");
        return 1;
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
