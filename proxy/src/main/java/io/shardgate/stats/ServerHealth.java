package io.shardgate.stats;

/**
 * One server's health as its pool sees it now, for the status page: read off the hot path, when a page asks.
 *
 * @param consecutiveFailures failures since the server last answered (counted only with {@code auto_eject_hosts})
 * @param ejected out of service: ejected from the distribution, or down under an {@code eject_policy} that keeps
 *     its keys in place
 * @param ejectedAtMillis when the current ejection began (epoch millis), 0 while not ejected
 * @param retryAtMillis when the server is next tried again (epoch millis), 0 while not ejected
 */
public record ServerHealth(int consecutiveFailures, boolean ejected, long ejectedAtMillis, long retryAtMillis) {
    /** A server that is in service, with no failure since its last reply. */
    public static final ServerHealth UP = new ServerHealth(0, false, 0, 0);

    /** In service after {@code consecutiveFailures} failures in a row (0: healthy). */
    public static ServerHealth inService(int consecutiveFailures) {
        return consecutiveFailures == 0 ? UP : new ServerHealth(consecutiveFailures, false, 0, 0);
    }
}
