package io.shardgate.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** Proves the suite's leak check can fail: a buffer dropped without release must be reported. */
class LeakDetectionTest {
    @Test
    void reportsABufferThatWasNeverReleased() {
        LeakDetection.collectLeaks(); // start from a clean slate
        leakOne();
        assertThat(LeakDetection.collectLeaks()).anySatisfy(leak -> assertThat(leak).contains("LEAK"));
    }

    @Test
    void reportsNothingWhenEveryBufferIsReleased() {
        LeakDetection.collectLeaks();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        buf.release();
        assertThat(LeakDetection.collectLeaks()).isEmpty();
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(7);
    }
}
