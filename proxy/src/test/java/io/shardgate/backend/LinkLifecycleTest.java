package io.shardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.backend.LinkLifecycle.Admission;
import io.shardgate.protocol.FailureReasons;
import org.junit.jupiter.api.Test;

/** Every transition of a server link's life, without a socket. */
class LinkLifecycleTest {
    private static final long MS = 1_000_000;
    private final LinkLifecycle life = new LinkLifecycle();

    @Test
    void anIdleLinkConnectsOnTheFirstRequestAndHoldsRequestsUntilConnected() {
        assertThat(life.state()).isEqualTo(LinkState.IDLE);
        assertThat(life.admit(0)).isEqualTo(Admission.CONNECT);
        assertThat(life.startConnect()).isTrue();
        assertThat(life.state()).isEqualTo(LinkState.CONNECTING);
        assertThat(life.startConnect()).as("one connect at a time").isFalse();
        assertThat(life.admit(0)).isEqualTo(Admission.HOLD);
        assertThat(life.connected(false)).isTrue();
        assertThat(life.state()).isEqualTo(LinkState.READY);
        assertThat(life.admit(0)).isEqualTo(Admission.WRITE);
        assertThat(life.failure()).isNull();
        assertThat(life.startConnect()).as("already connected").isFalse();
    }

    @Test
    void aFailedConnectBacksOffWithTheReasonAndTheBackoffDoublesUpToItsCap() {
        long now = 0;
        long expected = LinkLifecycle.MIN_BACKOFF_NANOS;
        for (int attempt = 0; attempt < 12; attempt++) {
            assertThat(life.startConnect()).isTrue();
            assertThat(life.connectFailed(FailureReasons.CONNECTION_REFUSED, now)).isEqualTo(FailureReasons.CONNECTION_REFUSED);
            LinkState.BackingOff backingOff = (LinkState.BackingOff) life.state();
            assertThat(backingOff.retryAtNanos() - now).as("backoff after failure %d", attempt + 1).isEqualTo(expected);
            assertThat(life.admit(now)).isEqualTo(Admission.FAIL);
            assertThat(life.failure()).isEqualTo(FailureReasons.CONNECTION_REFUSED);
            assertThat(life.admit(backingOff.retryAtNanos() - 1)).isEqualTo(Admission.FAIL);
            assertThat(life.admit(backingOff.retryAtNanos())).as("the backoff is over").isEqualTo(Admission.CONNECT);
            now = backingOff.retryAtNanos();
            expected = Math.min(expected * 2, LinkLifecycle.MAX_BACKOFF_NANOS);
        }
        assertThat(expected).isEqualTo(LinkLifecycle.MAX_BACKOFF_NANOS);
    }

    @Test
    void aGoodConnectionResetsTheBackoff() {
        life.startConnect();
        life.connectFailed("x", 0);
        life.startConnect();
        life.connectFailed("x", 0);
        life.startConnect();
        life.connected(false);
        assertThat(life.disconnected(1_000 * MS)).isEqualTo(FailureReasons.CONNECTION_CLOSED);
        life.startConnect();
        life.connectFailed("x", 1_000 * MS);
        assertThat(((LinkState.BackingOff) life.state()).retryAtNanos())
                .isEqualTo(1_000 * MS + LinkLifecycle.MIN_BACKOFF_NANOS);
    }

    @Test
    void aConnectionClosedByTheServerGoesIdleAndTheNextRequestReconnectsAtOnce() {
        life.startConnect();
        life.connected(false);
        assertThat(life.disconnected(0)).isEqualTo(FailureReasons.CONNECTION_CLOSED);
        assertThat(life.state()).isEqualTo(LinkState.IDLE);
        assertThat(life.admit(0)).isEqualTo(Admission.CONNECT);
    }

    @Test
    void aClosingConnectionDropsWhatItReadsFailsNewRequestsAndKeepsItsFirstReason() {
        life.startConnect();
        life.connected(false);
        assertThat(life.dropsReads()).isFalse();
        life.closing(FailureReasons.TIMED_OUT);
        life.closing("Unexpected reply from server");
        assertThat(life.state()).isEqualTo(new LinkState.Closing(FailureReasons.TIMED_OUT, false));
        assertThat(life.dropsReads()).isTrue();
        assertThat(life.admit(0)).isEqualTo(Admission.FAIL);
        assertThat(life.failure()).isEqualTo(FailureReasons.TIMED_OUT);
        assertThat(life.disconnected(0)).as("the waiters' reason").isEqualTo(FailureReasons.TIMED_OUT);
        assertThat(life.state()).isEqualTo(LinkState.IDLE);
        assertThat(life.dropsReads()).isFalse();
    }

    @Test
    void aRefusedHandshakeBacksOffInsteadOfReconnectingAtOnceAndDoesNotResetTheBackoff() {
        life.startConnect();
        assertThat(life.connected(true)).isTrue();
        life.handshakeRefused("-ERR invalid password");
        assertThat(life.state()).isEqualTo(new LinkState.Closing("-ERR invalid password", true));
        assertThat(life.disconnected(0)).isEqualTo("-ERR invalid password");
        assertThat(life.state()).isEqualTo(new LinkState.BackingOff("-ERR invalid password", LinkLifecycle.MIN_BACKOFF_NANOS));
        assertThat(life.failure()).isEqualTo("-ERR invalid password");
        life.startConnect();
        life.connected(true); // the backoff is not reset until the handshake is accepted
        life.handshakeRefused("-ERR invalid password");
        life.disconnected(0);
        assertThat(((LinkState.BackingOff) life.state()).retryAtNanos()).isEqualTo(2 * LinkLifecycle.MIN_BACKOFF_NANOS);
    }

    @Test
    void anAcceptedHandshakeResetsTheBackoff() {
        life.startConnect();
        life.connectFailed("x", 0);
        life.startConnect();
        life.connected(true);
        life.handshakeAccepted();
        life.closing("x");
        life.disconnected(0);
        life.startConnect();
        life.connectFailed("x", 0);
        assertThat(((LinkState.BackingOff) life.state()).retryAtNanos()).isEqualTo(LinkLifecycle.MIN_BACKOFF_NANOS);
    }

    @Test
    void aRefusalDuringAnotherCloseStillBacksOff() {
        life.startConnect();
        life.connected(true);
        life.closing(FailureReasons.TIMED_OUT);
        life.handshakeRefused("-NOAUTH");
        assertThat(life.state()).isEqualTo(new LinkState.Closing(FailureReasons.TIMED_OUT, true));
    }

    @Test
    void shutdownIsForGoodFromEveryState() {
        for (int from = 0; from < 5; from++) {
            LinkLifecycle l = new LinkLifecycle();
            if (from >= 1) l.startConnect();
            if (from == 2) l.connectFailed("x", 0);
            if (from >= 3) l.connected(false);
            if (from == 4) l.closing("x");
            LinkState before = l.state();
            l.shutdown("proxy shutting down");
            l.shutdown("a later reason");
            assertThat(l.state()).as("shut down from %s", before).isEqualTo(new LinkState.Closed("proxy shutting down"));
            assertThat(l.isShutDown()).isTrue();
            assertThat(l.admit(Long.MAX_VALUE)).isEqualTo(Admission.FAIL);
            assertThat(l.failure()).isEqualTo("proxy shutting down");
            assertThat(l.startConnect()).isFalse();
            assertThat(l.connected(false)).as("a connect that lands after shutdown is closed").isFalse();
            assertThat(l.connectFailed("Connection refused", 0)).isEqualTo("proxy shutting down");
            assertThat(l.disconnected(0)).isEqualTo("proxy shutting down");
            assertThat(l.dropsReads()).isTrue();
            assertThat(l.state()).isEqualTo(new LinkState.Closed("proxy shutting down"));
        }
    }

    @Test
    void eventsThatBelongToNoOpenConnectionChangeNothing() {
        assertThat(life.disconnected(0)).isNull();
        assertThat(life.connected(false)).as("no connect under way").isFalse();
        life.closing("x");
        life.handshakeRefused("x");
        assertThat(life.state()).isEqualTo(LinkState.IDLE);
        life.startConnect();
        assertThat(life.disconnected(0)).isNull();
        assertThat(life.state()).isEqualTo(LinkState.CONNECTING);
    }
}
