package io.shardgate.server;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool's {@code client_connections}: the most clients it serves at once, 0 for no limit. Counted across
 * workers, once per accepted connection (not per request).
 */
final class ClientLimit {
    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    ClientLimit(int limit) {
        this.limit = limit;
    }

    /** Counts the connection in if there is room, and out again when it closes; false when the pool is full. */
    boolean admit(Channel channel) {
        if (limit <= 0) return true;
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }
}
