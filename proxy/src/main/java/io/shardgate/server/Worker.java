package io.shardgate.server;

import io.netty.channel.EventLoop;
import io.shardgate.backend.PoolBackends;
import java.util.List;

/**
 * One worker: an event-loop thread with its own client connections and its own backend connections to every
 * pool. A request is parsed, routed, forwarded and answered on this one thread, so nothing on that path is
 * locked or handed over.
 */
final class Worker {
    private final EventLoop loop;
    private final FlushBatcher flusher;
    private final PoolBackends[] backends;
    private int clientsAccepted;

    Worker(EventLoop loop, List<PoolRuntime> pools, Transport transport) {
        this.loop = loop;
        this.flusher = new FlushBatcher(loop);
        this.backends = new PoolBackends[pools.size()];
        for (int i = 0; i < backends.length; i++) {
            PoolRuntime pool = pools.get(i);
            backends[i] = new PoolBackends(pool.config(), pool.router(), pool.protocol(), loop, transport, flusher);
        }
    }

    EventLoop loop() {
        return loop;
    }

    FlushBatcher flusher() {
        return flusher;
    }

    PoolBackends backends(int poolIndex) {
        return backends[poolIndex];
    }

    /** Spreads a worker's clients over a server's connections when {@code server_connections} is above 1. */
    int nextClientPick() {
        return clientsAccepted++;
    }

    void preconnect(int poolIndex) {
        loop.execute(() -> backends[poolIndex].connectAll());
    }

    /** Closes every backend connection of this worker; the future completes once they are closed. */
    io.netty.util.concurrent.Future<?> closeBackends(String reason) {
        return loop.submit(() -> {
            for (PoolBackends b : backends) b.closeAll(reason);
        });
    }
}
