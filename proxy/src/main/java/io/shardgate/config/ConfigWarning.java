package io.shardgate.config;

/**
 * A key a config sets that shardgate reads but does not act on yet.
 *
 * @param value the value as configured, for the message
 * @param meanwhile what shardgate does instead, e.g. "requests wait for their server without a time limit"
 */
public record ConfigWarning(String pool, String key, String value, String meanwhile) {
    /** One line for the log: {@code pool 'alpha': key 'timeout' (400) is parsed but not enforced yet: ...}. */
    public String message() {
        return "pool '" + pool + "': key '" + key + "' (" + value + ") is parsed but not enforced yet: " + meanwhile;
    }

    @Override
    public String toString() {
        return message();
    }
}
