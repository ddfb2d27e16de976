package io.shardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.ReplyWaiter;
import org.junit.jupiter.api.Test;

class InFlightQueueTest {
    private static final ReplyWaiter NOBODY = new ReplyWaiter() {
        @Override
        public void onReply(ByteBuf frame) {
            frame.release();
        }

        @Override
        public void onFailure(String reason) {}
    };

    @Test
    void notBeforeMovesTheGivenRequestAndLaterOnesOnlyForward() {
        InFlightQueue q = new InFlightQueue();
        long a = q.add(NOBODY, 10, 1);
        long b = q.add(NOBODY, 20, 1);
        long c = q.add(NOBODY, 500, 1);
        assertThat(new long[] {a, b, c}).containsExactly(0, 1, 2);
        q.notBefore(b, 100);
        assertThat(q.oldestSentAt()).isEqualTo(10); // before the large write: unchanged
        q.poll();
        assertThat(q.oldestSentAt()).isEqualTo(100);
        q.poll();
        assertThat(q.oldestSentAt()).as("written later than the mark: kept").isEqualTo(500);
    }

    @Test
    void sequenceNumbersSurviveWrapAroundAndGrowth() {
        InFlightQueue q = new InFlightQueue();
        for (int i = 0; i < 50; i++) q.add(NOBODY, i, 1);
        for (int i = 0; i < 50; i++) q.poll();
        long first = -1;
        for (int i = 0; i < 200; i++) { // wraps the 64-slot ring, then grows it
            long seq = q.add(NOBODY, 1000 + i, 1);
            if (i == 150) first = seq;
        }
        q.notBefore(first, 5000);
        for (int i = 0; i < 150; i++) {
            assertThat(q.oldestSentAt()).isEqualTo(1000 + i);
            q.poll();
        }
        for (int i = 150; i < 200; i++) {
            assertThat(q.oldestSentAt()).isEqualTo(5000);
            q.poll();
        }
        assertThat(q.isEmpty()).isTrue();
        q.notBefore(first, 9000); // nothing left: a no-op
        assertThat(q.size()).isZero();
    }
}
