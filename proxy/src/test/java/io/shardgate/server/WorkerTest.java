package io.shardgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerTest {
    @Test
    void aTimedOutRequestIsAnsweredWithinFiftyMillisecondsOfItsTimeoutWhateverTheTimeout() {
        // the check runs every tick, so a request can wait its timeout plus one tick; the chaos run found 100 ms
        // ticks (timeouts of 1 s and more) answering up to 100 ms late
        for (long timeout : new long[] {1, 10, 100, 300, 500, 1_000, 2_000, 30_000, 3_600_000}) {
            long tick = Worker.timeoutTickMillis(timeout);
            assertThat(tick).as("tick for a %d ms timeout", timeout).isBetween(1L, Worker.MAX_TIMEOUT_TICK_MILLIS);
            assertThat(tick).as("tick for a %d ms timeout", timeout).isLessThanOrEqualTo(Math.max(1, timeout / 10));
        }
        assertThat(Worker.MAX_TIMEOUT_TICK_MILLIS).isLessThanOrEqualTo(25);
        assertThat(Worker.timeoutTickMillis(0)).as("no timeout: no check").isZero();
    }
}
