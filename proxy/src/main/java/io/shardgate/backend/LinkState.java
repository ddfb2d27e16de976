package io.shardgate.backend;

/**
 * Where a {@link ServerLink} is in its life. Each value says what a new request meets: {@link Ready} writes it,
 * {@link Connecting} (and {@link Idle}, which starts connecting) holds it, the others fail it with their reason.
 */
sealed interface LinkState {
    /** No connection and no reason not to open one: the next request connects. */
    record Idle() implements LinkState {}

    /** A connect is under way. */
    record Connecting() implements LinkState {}

    /** Connected: requests are written and replies read. */
    record Ready() implements LinkState {}

    /**
     * Connected, but the connection is being closed (a timeout, a bad reply, a refused handshake): what is still
     * read is not trusted and every waiter fails with {@code reason}. {@code backOff} when the close must not be
     * followed by an immediate reconnect (the server refused the handshake).
     */
    record Closing(String reason, boolean backOff) implements LinkState {}

    /** The last connect failed: requests fail with {@code reason} until {@code retryAtNanos}, then one reconnects. */
    record BackingOff(String reason, long retryAtNanos) implements LinkState {}

    /** Shut down for good (the proxy is stopping): everything fails with {@code reason}. */
    record Closed(String reason) implements LinkState {}

    LinkState IDLE = new Idle();
    LinkState CONNECTING = new Connecting();
    LinkState READY = new Ready();
}
