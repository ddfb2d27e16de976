package io.shardgate.transport;

import io.netty.channel.EventLoop;
import java.util.ArrayList;

/**
 * Coalesces flushes within one pass of a worker's event loop: writes during the pass only queue bytes, and one
 * task, run after the pass's I/O events, flushes every connection that was written to. A hundred pipelined
 * requests read in one pass become one write to each backend, and their replies one write to each client.
 */
public final class FlushBatcher {
    /**
     * A connection's handler that may owe a flush; it keeps its own flag so it is queued at most once per pass,
     * with no set lookup on the hot path.
     */
    public abstract static class Target extends io.netty.channel.ChannelInboundHandlerAdapter {
        private boolean flushQueued;

        /** Flushes the connection now, if it is still open. */
        protected abstract void flushNow();
    }

    private final EventLoop loop;
    private ArrayList<Target> pending = new ArrayList<>();
    private ArrayList<Target> running = new ArrayList<>();
    private final Runnable flushAll = this::flushAll;
    private boolean scheduled;

    public FlushBatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** Flushes {@code target} once the current event-loop pass is done. Must be called on the loop's thread. */
    public void flushLater(Target target) {
        if (target.flushQueued) return;
        target.flushQueued = true;
        pending.add(target);
        if (!scheduled) {
            scheduled = true;
            loop.execute(flushAll);
        }
    }

    private void flushAll() {
        scheduled = false;
        // swap rather than copy: flushing may queue targets for the next pass
        ArrayList<Target> batch = pending;
        pending = running;
        running = batch;
        for (int i = 0; i < running.size(); i++) {
            Target target = running.get(i);
            target.flushQueued = false;
            target.flushNow();
        }
        running.clear();
    }
}
