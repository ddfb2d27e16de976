package io.shardgate.config;

import java.nio.file.Path;

/**
 * A config file shardgate refuses. The message is one line naming the file, the line when known, the pool and
 * the key when the problem belongs to one, and what is wrong, e.g.
 * {@code conf/nutcracker.yml:4: pool 'alpha': key 'timeout': 'soon' is not a number}.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String pool;
    private final String key;
    private final String problem;

    /**
     * @param line the 1-based line the problem is on, or 0 when it has no single line
     * @param pool the pool the problem belongs to, or null
     * @param key the pool key the problem belongs to, or null
     */
    public ConfigException(Path file, int line, String pool, String key, String problem) {
        super(format(file, line, pool, key, problem));
        this.file = file;
        this.line = line;
        this.pool = pool;
        this.key = key;
        this.problem = problem;
    }

    private static String format(Path file, int line, String pool, String key, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file);
        if (line > 0) sb.append(':').append(line);
        sb.append(": ");
        if (pool != null) sb.append("pool '").append(pool).append("': ");
        if (key != null) sb.append("key '").append(key).append("': ");
        return oneLine(sb.append(problem).toString());
    }

    // A value quoted in the message can hold a line break (a folded YAML scalar); escape it so the message stays one line.
    private static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    public Path file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem has no single line. */
    public int line() {
        return line;
    }

    /** The pool name, or null when the problem is about the whole file. */
    public String pool() {
        return pool;
    }

    /** The pool key, or null. */
    public String key() {
        return key;
    }

    /** What is wrong, without the file, pool and key. */
    public String problem() {
        return problem;
    }
}
