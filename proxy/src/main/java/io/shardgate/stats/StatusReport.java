package io.shardgate.stats;

import java.util.List;

/**
 * The status page's JSON ({@code GET /status.json}), written by Jackson with snake_case names. Times are epoch
 * milliseconds, latencies microseconds, rates per second; a figure that cannot be known yet (no interval measured,
 * no reply in the window) is null.
 */
public record StatusReport(Process process, List<Pool> pools) {

    /** Server states, as the page names them. */
    public static final String UP = "up";
    public static final String FAILING = "failing";
    public static final String EJECTED = "ejected";

    /**
     * @param now when this report was made
     * @param sampledAt when its figures were collected from the workers
     * @param rateWindowMs the interval the rates and latency quantiles are measured over (0 before a second sample)
     */
    public record Process(String service, String version, String source, long pid, long startedAt, long uptimeSeconds,
            long now, long sampledAt, long sampleIntervalMs, long rateWindowMs, int workers, int workersAnswered,
            String transport, Config config, Memory memory, long connectionsOpen, long connectionsOpened) {}

    /** @param lastReload the last live reload attempt, null if there was none */
    public record Config(String file, String digest, long loadedAt, Reload lastReload) {}

    public record Reload(long at, boolean ok, String error) {}

    /** Bytes; a figure the platform does not give is null. */
    public record Memory(long heapUsed, long heapCommitted, long heapMax, Long directUsed, Long directMax, Long rss) {}

    /**
     * @param requestsPerSecond client requests
     * @param errorsPerSecond client requests answered with an error made by the proxy ({@code forward_error})
     */
    public record Pool(String name, String listen, String protocol, String hash, String distribution, String hashTag,
            boolean autoEjectHosts, int serverFailureLimit, long serverRetryTimeoutMs, String ejectPolicy,
            long clientConnections, Double requestsPerSecond, Double errorsPerSecond, int serversUp,
            int serversFailing, int serversEjected, List<Server> servers) {}

    /**
     * @param state {@link #UP}, {@link #FAILING} (in service, but a connection failed in the last seconds or failures
     *     are counting towards an ejection) or {@link #EJECTED}
     * @param ejectedAt when the current ejection began, null while in service
     * @param retryAt when an ejected server is tried again, null while in service
     * @param lastEjectedAt the last ejection's start ({@code server_ejected_at}), null if never
     * @param failures failed connections and connect attempts since start ({@code server_err + server_eof +
     *     server_timedout})
     * @param recentFailures of those, in the last {@code ~10} seconds
     * @param inFlight requests sent or waiting to be sent and not answered yet ({@code in_queue + out_queue})
     */
    public record Server(String name, String address, int weight, String state, Long ejectedAt, Long retryAt,
            Long lastEjectedAt, long failures, long recentFailures, int consecutiveFailures, long inFlight,
            long connections, Double requestsPerSecond, Double p50Micros, Double p99Micros, History history) {}

    /** The sparkline: one value per step, oldest first, for up to the last five minutes. */
    public record History(long stepSeconds, double[] requestsPerSecond, long[] failures, boolean[] ejected) {}
}
