package io.shardgate.stats;

import java.util.List;

/**
 * The stats port's report, byte for byte in nutcracker's layout: a header of process stats, then one object per
 * pool holding the pool's stats and one object per server, each separated as nutcracker separates them
 * ({@code "key":value, } and {@code "name": {}), ending in a newline. Names are escaped, so the report is valid
 * JSON even when a pool or server name is unusual.
 */
public final class NutcrackerJson {
    private NutcrackerJson() {}

    public static String render(StatsSnapshot s) {
        StringBuilder out = new StringBuilder(512 + 64 * 20 * s.pools().size());
        out.append('{');
        string(out, "service", "shardgate");
        string(out, "source", s.source());
        string(out, "version", s.version());
        for (Stat stat : Stat.of(Stat.Scope.PROCESS)) number(out, stat.jsonName, s.get(stat));
        // nutcracker closes a nested object by turning its trailing ", " into "}," — so objects end "},"
        for (PoolSample pool : s.pools()) {
            beginObject(out, pool.name());
            for (Stat stat : Stat.of(Stat.Scope.POOL)) number(out, stat.jsonName, pool.get(stat));
            for (ServerSample server : pool.servers()) {
                beginObject(out, server.name());
                values(out, Stat.of(Stat.Scope.SERVER), server.values());
                endObject(out);
            }
            endObject(out);
        }
        // the footer replaces the last separator character with "}" and adds a newline
        out.setLength(out.length() - 1);
        out.append("}\n");
        return out.toString();
    }

    private static void values(StringBuilder out, List<Stat> stats, long[] values) {
        for (Stat stat : stats) number(out, stat.jsonName, values[stat.index]);
    }

    private static void string(StringBuilder out, String key, String value) {
        quoted(out, key).append(':');
        quoted(out, value).append(", ");
    }

    private static void number(StringBuilder out, String key, long value) {
        quoted(out, key).append(':').append(value).append(", ");
    }

    private static void beginObject(StringBuilder out, String key) {
        quoted(out, key).append(": {");
    }

    /** As nutcracker's stats_end_nesting: {@code ", "} becomes {@code "},"}, and {@code "},"} becomes {@code "}},"}. */
    private static void endObject(StringBuilder out) {
        int n = out.length();
        if (out.charAt(n - 2) == ',') {
            out.setCharAt(n - 2, '}');
            out.setCharAt(n - 1, ',');
        } else if (out.charAt(n - 1) == '{') { // an empty object (a pool without servers cannot happen, but be safe)
            out.append("},");
        } else {
            out.setCharAt(n - 1, '}');
            out.append(',');
        }
    }

    private static StringBuilder quoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"');
    }
}
