package io.shardgate.stats;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

/**
 * Log lines for events that can repeat fast, such as a flapping server connecting, failing and being ejected
 * and returned, on every worker: the first event of a kind for a key (a server) is logged, further ones within
 * the window are only counted, and the next line logged for that key and kind says how many were left out.
 * A steady failure therefore costs one line per window per server, and nothing is hidden entirely.
 *
 * <p>Safe to call from any thread; the per-key state is touched only when an event happens, never per request.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long windowNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long openedAt;
        boolean open;
        long suppressed;
    }

    public RateLimitedLog(Logger log, long window, TimeUnit unit) {
        this(log, unit.toNanos(window), System::nanoTime);
    }

    RateLimitedLog(Logger log, long windowNanos, LongSupplier clock) {
        this.log = log;
        this.windowNanos = windowNanos;
        this.clock = clock;
    }

    /**
     * Logs {@code format} with {@code args} (slf4j's {} placeholders) at {@code level}, unless an event with the
     * same {@code key} and {@code kind} was logged less than one window ago. Returns whether it was logged.
     */
    public boolean log(Level level, String key, String kind, String format, Object... args) {
        if (!log.isEnabledForLevel(level)) return false;
        Window w = windows.computeIfAbsent(key + '\u0000' + kind, k -> new Window());
        long suppressed;
        synchronized (w) {
            long now = clock.getAsLong();
            if (w.open && now - w.openedAt < windowNanos) {
                w.suppressed++;
                return false;
            }
            w.open = true;
            w.openedAt = now;
            suppressed = w.suppressed;
            w.suppressed = 0;
        }
        String message = MessageFormatter.arrayFormat(format, args).getMessage();
        if (suppressed > 0) {
            message += " (and " + suppressed + " more since the previous such line, not logged)";
        }
        log.atLevel(level).log(message);
        return true;
    }

    public boolean info(String key, String kind, String format, Object... args) {
        return log(Level.INFO, key, kind, format, args);
    }

    public boolean warn(String key, String kind, String format, Object... args) {
        return log(Level.WARN, key, kind, format, args);
    }
}
