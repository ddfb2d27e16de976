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
 */
final class LogSetup {
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %msg%n";
    static final int DEFAULT_LEVEL = 5;
    static final int MAX_LEVEL = 11;

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
        Level level = level(verbosity);
        root.setLevel(level);
        context.getLogger("io.netty").setLevel(verbosity >= 10 ? level : Level.WARN);
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
    }
}
