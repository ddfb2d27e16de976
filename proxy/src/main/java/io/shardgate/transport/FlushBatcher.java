package io.shardgate.transport;

import io.netty.channel.EventLoop;
import java.util.ArrayList;

/**
 * Coalesces flushes within one pass of a worker's event loop: writes during the pass only queue bytes, and one
 * task, run after the pass's I/O events, flushes every connection that was written to. A hundred pipelined
 * requests read in one pass become one write to each backend, and their replies one write to each client.
 *
 * <p>A connection takes part through its own {@link Slot}, so handlers keep their own base classes.
 */
public final class FlushBatcher {
    /**
     * One connection's place in the batch. It keeps its own flag so the connection is queued at most once per
     * pass, with no set lookup on the hot path.
     */
    public static final class Slot {
        private final FlushBatcher batcher;
        private final Runnable flush;
        private boolean queued;

        private Slot(FlushBatcher batcher, Runnable flush) {
            this.batcher = batcher;
            this.flush = flush;
        }

        /** Flushes the connection once the current event-loop pass is done. Must be called on the loop's thread. */
        public void flushLater() {
            if (queued) return;
            queued = true;
            batcher.queue(this);
        }
    }

    private final EventLoop loop;
    private ArrayList<Slot> pending = new ArrayList<>();
    private ArrayList<Slot> running = new ArrayList<>();
    private final Runnable flushAll = this::flushAll;
    private boolean scheduled;

    public FlushBatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** A slot for one connection; {@code flush} flushes it now if it is still open. */
    public Slot slot(Runnable flush) {
        return new Slot(this, flush);
    }

    private void queue(Slot slot) {
        pending.add(slot);
        if (!scheduled) {
            scheduled = true;
            loop.execute(flushAll);
        }
    }

    private void flushAll() {
        scheduled = false;
        // swap rather than copy: flushing may queue slots for the next pass
        ArrayList<Slot> batch = pending;
        pending = running;
        running = batch;
        for (int i = 0; i < running.size(); i++) {
            Slot slot = running.get(i);
            slot.queued = false;
            slot.flush.run();
        }
        running.clear();
    }
}
