package io.shardgate.stats;

/**
 * What the status page says about the process beyond the stats snapshot: how it runs, and its config.
 *
 * @param transport the event-loop transport, {@code epoll} or {@code nio}
 * @param config the running config and its reloads
 */
public record ProcessInfo(String transport, ConfigStatus config) {}
