package io.shardgate.fuzz;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.shardgate.testsupport.LeakDetection;
import java.util.List;

/**
 * A pooled direct allocator of the fuzz targets' own, without thread caches, so its arenas count exactly the
 * buffers still allocated: after an input, none may be left. That attributes a leak to the input that caused it;
 * Netty's detector (PARANOID, see {@link LeakDetection}) also sees these buffers and reports leaks of buffers
 * allocated elsewhere, once they are collected.
 */
final class LiveBuffers {
    static final PooledByteBufAllocator ALLOC = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);

    private LiveBuffers() {}

    /** The buffers of {@link #ALLOC} not yet released. */
    static long live() {
        PooledByteBufAllocatorMetric metric = ALLOC.metric();
        long live = 0;
        for (PoolArenaMetric arena : metric.directArenas()) live += arena.numActiveAllocations();
        for (PoolArenaMetric arena : metric.heapArenas()) live += arena.numActiveAllocations();
        return live;
    }

    /** Fails when a buffer of this input is still allocated or the leak detector reported one. */
    static void assertNoneLeft(java.util.function.Supplier<String> what) {
        long live = live();
        if (live != 0) throw new AssertionError(live + " buffer(s) not released after " + what.get());
        List<String> leaks = LeakDetection.reportedLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("the leak detector reported " + leaks.size() + " leak(s) during " + what.get()
                    + ":\n" + String.join("\n\n", leaks));
        }
    }
}
