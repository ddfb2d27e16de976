package io.shardgate.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.bench.load.ErrorKind;
import io.shardgate.bench.load.KeyVersions;
import io.shardgate.bench.load.Request;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which fault a failure is put down to: the one that explains it, not the one going on when it ended. */
class LiveStatsTest {
    private static final String POOL = "mc";
    /** Key 0 lives on server 0, key 1 on server 3. */
    private static final int[] SERVER_OF_KEY = {0, 3};

    private final FaultLog log = new FaultLog();
    private final LiveStats stats = new LiveStats(POOL, SERVER_OF_KEY, new KeyVersions(SERVER_OF_KEY.length), log,
            System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100), 600, TimeUnit.SECONDS.toNanos(1));

    private void acknowledgeSet(int key) {
        stats.verified(new Request(1).set(key).sentAt(System.nanoTime()), System.nanoTime());
    }

    private void fail(Request r, ErrorKind kind) {
        stats.failed(r.sentAt(System.nanoTime()), kind, System.nanoTime());
    }

    @Test
    void aMissOfAKeyAnEarlierKillWipedIsTheKillsEvenWhileAnotherFaultLasts() {
        acknowledgeSet(0);
        FaultLog.Fault kill = log.start(POOL, 0, "kill -9", true);
        log.wiped(kill);
        log.lift(kill, 0);
        FaultLog.Fault slow = log.start(POOL, 3, "slow replies", false);

        fail(new Request(2).get(0, 1), ErrorKind.MISSING_VALUE);

        assertThat(stats.explainedBy(kill)).isEqualTo(1);
        assertThat(stats.explainedBy(slow)).isZero();
        assertThat(stats.total(stats.unexplainedCounts())).isZero();
    }

    @Test
    void anErrorOnTheFaultedServerIsThatFaults() {
        FaultLog.Fault slow = log.start(POOL, 3, "slow replies", false);

        fail(new Request(1).get(1), ErrorKind.NO_REPLY);

        assertThat(stats.explainedBy(slow)).isEqualTo(1);
    }

    @Test
    void aMissOfAKeyAcknowledgedAfterTheWipeIsUnexplained() {
        FaultLog.Fault kill = log.start(POOL, 0, "kill -9", true);
        log.wiped(kill);
        log.lift(kill, 0);
        acknowledgeSet(0);

        fail(new Request(1).get(0), ErrorKind.MISSING_VALUE);

        assertThat(stats.explainedBy(kill)).isZero();
        assertThat(stats.total(stats.unexplainedCounts())).isEqualTo(1);
    }

    @Test
    void aMissOfAKeyNeverAcknowledgedNeedsNoFault() {
        fail(new Request(1).get(1), ErrorKind.MISSING_VALUE);

        assertThat(stats.explainedBy(FaultLog.NONE)).isEqualTo(1);
        assertThat(stats.total(stats.unexplainedCounts())).isZero();
    }
}
