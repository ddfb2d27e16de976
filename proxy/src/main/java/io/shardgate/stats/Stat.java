package io.shardgate.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every stat shardgate reports, declared once: its scope, kind, nutcracker's name and its description. The stats
 * port's JSON, the Prometheus exposition and {@code --describe-stats} are all generated from this table, in this
 * order (nutcracker's order), so the three can never disagree.
 */
public enum Stat {
    // ---- the whole process (the JSON header) ----
    UPTIME(Scope.PROCESS, Kind.GAUGE, "uptime", "seconds since the proxy started",
            "shardgate_uptime_seconds"),
    TIMESTAMP(Scope.PROCESS, Kind.TIMESTAMP, "timestamp", "time of this report in seconds since epoch",
            null),
    TOTAL_CONNECTIONS(Scope.PROCESS, Kind.COUNTER, "total_connections",
            "# connections opened since start (listeners, clients and servers)",
            "shardgate_connections_opened"),
    CURR_CONNECTIONS(Scope.PROCESS, Kind.GAUGE, "curr_connections",
            "# connections open now (listeners, clients and servers)",
            "shardgate_connections_open"),

    // ---- per pool: client behaviour, pool behaviour, forwarder behaviour ----
    CLIENT_EOF(Scope.POOL, Kind.COUNTER, "client_eof", "# eof on client connections",
            "shardgate_pool_client_eof"),
    CLIENT_ERR(Scope.POOL, Kind.COUNTER, "client_err", "# errors on client connections",
            "shardgate_pool_client_err"),
    CLIENT_CONNECTIONS(Scope.POOL, Kind.GAUGE, "client_connections", "# active client connections",
            "shardgate_pool_client_connections"),
    SERVER_EJECTS(Scope.POOL, Kind.COUNTER, "server_ejects", "# times backend server was ejected",
            "shardgate_pool_server_ejects"),
    FORWARD_ERROR(Scope.POOL, Kind.COUNTER, "forward_error", "# times we encountered a forwarding error",
            "shardgate_pool_forward_errors"),
    FRAGMENTS(Scope.POOL, Kind.COUNTER, "fragments", "# fragments created from a multi-vector request",
            "shardgate_pool_fragments"),

    // ---- per server: server behaviour, data behaviour ----
    SERVER_EOF(Scope.SERVER, Kind.COUNTER, "server_eof", "# eof on server connections",
            "shardgate_server_eof"),
    SERVER_ERR(Scope.SERVER, Kind.COUNTER, "server_err", "# errors on server connections",
            "shardgate_server_err"),
    SERVER_TIMEDOUT(Scope.SERVER, Kind.COUNTER, "server_timedout", "# timeouts on server connections",
            "shardgate_server_timedout"),
    SERVER_CONNECTIONS(Scope.SERVER, Kind.GAUGE, "server_connections", "# active server connections",
            "shardgate_server_connections"),
    SERVER_EJECTED_AT(Scope.SERVER, Kind.TIMESTAMP, "server_ejected_at",
            "timestamp when server was ejected in usec since epoch",
            "shardgate_server_ejected_timestamp_seconds"),
    REQUESTS(Scope.SERVER, Kind.COUNTER, "requests", "# requests",
            "shardgate_server_requests"),
    REQUEST_BYTES(Scope.SERVER, Kind.COUNTER, "request_bytes", "total request bytes",
            "shardgate_server_request_bytes"),
    RESPONSES(Scope.SERVER, Kind.COUNTER, "responses", "# responses",
            "shardgate_server_responses"),
    RESPONSE_BYTES(Scope.SERVER, Kind.COUNTER, "response_bytes", "total response bytes",
            "shardgate_server_response_bytes"),
    IN_QUEUE(Scope.SERVER, Kind.GAUGE, "in_queue", "# requests in incoming queue",
            "shardgate_server_in_queue"),
    IN_QUEUE_BYTES(Scope.SERVER, Kind.GAUGE, "in_queue_bytes", "current request bytes in incoming queue",
            "shardgate_server_in_queue_bytes"),
    OUT_QUEUE(Scope.SERVER, Kind.GAUGE, "out_queue", "# requests in outgoing queue",
            "shardgate_server_out_queue"),
    OUT_QUEUE_BYTES(Scope.SERVER, Kind.GAUGE, "out_queue_bytes", "current request bytes in outgoing queue",
            "shardgate_server_out_queue_bytes");

    /** Where a stat lives in the JSON: the header, each pool object, or each server object inside a pool. */
    public enum Scope { PROCESS, POOL, SERVER }

    /**
     * nutcracker's stat types: a counter only grows; a gauge goes up and down (summed over workers); a timestamp
     * is a point in time (the latest over workers).
     */
    public enum Kind { COUNTER, GAUGE, TIMESTAMP }

    public final Scope scope;
    public final Kind kind;
    /** The name in the JSON and in {@code --describe-stats}. */
    public final String jsonName;
    public final String description;
    /**
     * The Prometheus metric name (counters get {@code _total} appended by the exposition format), or null for a
     * stat Prometheus has its own way to say (the report's timestamp).
     */
    public final String prometheusName;
    /** The position among the stats of the same scope: the index into a pool's or server's value array. */
    public final int index;

    private static final List<Stat> POOL_STATS = new ArrayList<>();
    private static final List<Stat> SERVER_STATS = new ArrayList<>();
    private static final List<Stat> PROCESS_STATS = new ArrayList<>();

    static {
        for (Stat s : values()) {
            switch (s.scope) {
                case PROCESS -> PROCESS_STATS.add(s);
                case POOL -> POOL_STATS.add(s);
                case SERVER -> SERVER_STATS.add(s);
            }
        }
    }

    Stat(Scope scope, Kind kind, String jsonName, String description, String prometheusName) {
        this.scope = scope;
        this.prometheusName = prometheusName;
        this.kind = kind;
        this.jsonName = jsonName;
        this.description = description;
        this.index = Counter.next(scope);
    }

    /** Hands out indexes per scope while the constants are built (an enum cannot read its own statics then). */
    private static final class Counter {
        private static final int[] NEXT = new int[Scope.values().length];

        static int next(Scope scope) {
            return NEXT[scope.ordinal()]++;
        }
    }

    public static List<Stat> of(Scope scope) {
        return Collections.unmodifiableList(switch (scope) {
            case PROCESS -> PROCESS_STATS;
            case POOL -> POOL_STATS;
            case SERVER -> SERVER_STATS;
        });
    }

    public static final int POOL_COUNT = 6;
    public static final int SERVER_COUNT = 13;

    /**
     * nutcracker's {@code -D} text: the pool stats, then the server stats, each name padded to 20 columns and its
     * description quoted.
     */
    public static String describe() {
        StringBuilder out = new StringBuilder();
        out.append("pool stats:\n");
        for (Stat s : of(Scope.POOL)) out.append(String.format("  %-20s\"%s\"\n", s.jsonName, s.description));
        out.append("\nserver stats:\n");
        for (Stat s : of(Scope.SERVER)) out.append(String.format("  %-20s\"%s\"\n", s.jsonName, s.description));
        return out.toString();
    }
}
