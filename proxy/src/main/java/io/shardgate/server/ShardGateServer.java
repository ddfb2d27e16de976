package io.shardgate.server;

import io.shardgate.config.ProxyConfig;

/**
 * A running proxy: its workers, listeners and backend connections. {@link #start} returns once every pool
 * listens; {@link #close} stops accepting, closes every connection and stops the workers.
 */
public final class ShardGateServer implements AutoCloseable {
    private ShardGateServer() {}

    /** Starts serving {@code config}. Throws if a listener cannot bind. */
    public static ShardGateServer start(ProxyConfig config, ServerSettings settings) throws InterruptedException {
        throw new UnsupportedOperationException("the proxy core is being built");
    }

    /** Blocks until the server is closed. */
    public void awaitClose() throws InterruptedException {
        throw new UnsupportedOperationException("the proxy core is being built");
    }

    @Override
    public void close() {}
}
