package io.shardgate.stats;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which config the proxy runs and how its last reload went, as the status page shows it. The proxy sets the
 * config it started with; a live reload reports each attempt here ({@link #reloaded}, {@link #reloadFailed}), from
 * any thread. Until the first attempt the page says "never".
 */
public final class ConfigStatus {
    /** One reload attempt: when, whether it took, and the reason when it did not. */
    public record Reload(long atMillis, boolean ok, String error) {}

    /**
     * @param file the config file, as given on the command line
     * @param digest the running config's {@link io.shardgate.config.ConfigDigest}
     * @param loadedAtMillis when the running config was loaded (epoch millis)
     * @param lastReload the last reload attempt, or null before the first
     */
    public record State(String file, String digest, long loadedAtMillis, Reload lastReload) {}

    private final AtomicReference<State> state;

    public ConfigStatus(Path file, String digest) {
        this.state = new AtomicReference<>(new State(file.toString(), digest, System.currentTimeMillis(), null));
    }

    public State state() {
        return state.get();
    }

    /** A reload took: the proxy now runs the config with {@code digest}. */
    public void reloaded(String digest, long atMillis) {
        state.updateAndGet(s -> new State(s.file(), digest, atMillis, new Reload(atMillis, true, null)));
    }

    /** A reload was refused or failed; the running config is unchanged. */
    public void reloadFailed(String error, long atMillis) {
        state.updateAndGet(s -> new State(s.file(), s.digest(), s.loadedAtMillis(), new Reload(atMillis, false, error)));
    }
}
