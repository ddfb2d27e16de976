package io.shardgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;

/**
 * Points logback where nutcracker's {@code -v} and {@code -o} say: the level from nutcracker's 0..11 scale, and
 * the events to the {@code -o} file (appended to) or to stderr.
 *
 * <p>nutcracker's levels map to logback's as follows: 0-3 (emerg, alert, crit, err) ERROR; 4 (warn) WARN;
 * 5 (notice, the default) and 6 (info) INFO; 7 (debug) DEBUG; 8-11 (verb, vverb, vvverb, pverb) TRACE. Netty's
 * own logging stays at WARN below level 10.
 *
 * <p>At run time, as in nutcracker, {@link #levelUp()} and {@link #levelDown()} (SIGTTIN, SIGTTOU) move the level one
 * step on that scale and {@link #reopen()} (SIGHUP) reopens the {@code -o} file, for logrotate.
 */
final class LogSetup {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %msg%n";
    static final int DEFAULT_LEVEL = 5;
    static final int MAX_LEVEL = 11;

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(LogSetup.class);

    /** The current nutcracker level, and the {@code -o} appender (null when logging to stderr). */
    private static int verbosity = DEFAULT_LEVEL;
    private static FileAppender<ILoggingEvent> fileAppender;

    private LogSetup() {}

    /** The logback level for nutcracker's level {@code n} (clamped to 0..11 as nutcracker does). */
    static Level level(int n) {
        int v = Math.max(0, Math.min(n, MAX_LEVEL));
        if (v <= 3) return Level.ERROR;
        if (v == 4) return Level.WARN;
        if (v <= 6) return Level.INFO;
        if (v == 7) return Level.DEBUG;
        return Level.TRACE;
    }

    /**
     * Applies {@code -v} and {@code -o}.
     *
     * @param file the log file, or null for stderr
     * @throws IOException when the file cannot be opened for appending
     */
    static void configure(int verbosity, Path file) throws IOException {
        if (file != null) {
            // fail here with the reason, rather than inside logback with a status message
            try (OutputStream probe = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                probe.flush();
            }
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return; // another slf4j binding
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        apply(context, verbosity);
        if (file == null) return;

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        root.detachAndStopAllAppenders(); // the file replaces stderr
        root.addAppender(appender);
        synchronized (LogSetup.class) {
            fileAppender = appender;
        }
    }

    private static synchronized void apply(LoggerContext context, int n) {
        verbosity = Math.max(0, Math.min(n, MAX_LEVEL));
        Level level = level(verbosity);
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(level);
        context.getLogger("io.netty").setLevel(verbosity >= 10 ? level : Level.WARN);
    }

    static synchronized int verbosity() {
        return verbosity;
    }

    /** One step more verbose, up to 11; says so in the log as nutcracker does. */
    static void levelUp() {
        step(+1, "up");
    }

    /** One step less verbose, down to 0. */
    static void levelDown() {
        step(-1, "down");
    }

    private static synchronized void step(int delta, String word) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        int next = verbosity + delta;
        if (next < 0 || next > MAX_LEVEL) return;
        // logged while the more verbose of the two levels is in force, so it shows whenever WARN shows at either
        if (delta < 0) log.warn("{} log level to {}", word, next);
        apply(context, next);
        if (delta > 0) log.warn("{} log level to {}", word, next);
    }

    /**
     * Reopens the {@code -o} file by name (after logrotate moved it away): later events go to a new file at that
     * path. Does nothing when logging to stderr. Events logged meanwhile wait for the appender's lock; none is lost.
     */
    static void reopen() {
        FileAppender<ILoggingEvent> appender;
        synchronized (LogSetup.class) {
            appender = fileAppender;
        }
        if (appender == null) return;
        try {
            appender.openFile(appender.getFile());
        } catch (IOException e) {
            System.err.println("shardgate: reopening log file '" + appender.getFile() + "' failed, ignored: "
                    + e.getMessage());
        }
    }
}
