package io.shardgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How {@code -Dshardgate.transport} picks a transport, with availability given rather than probed. */
class TransportTest {
    private static Function<Transport, String> unavailable(Map<Transport, String> reasons) {
        return reasons::get;
    }

    @Test
    void autoTakesIoUringWhenTheKernelAllowsIt() {
        Transport.Choice choice = Transport.choose("auto", unavailable(Map.of()));
        assertThat(choice.transport()).isEqualTo(Transport.IO_URING);
        assertThat(choice.why()).isEqualTo("auto: io_uring is available");
    }

    @Test
    void autoFallsBackToEpollAndSaysWhyIoUringWasPassedOver() {
        Transport.Choice choice = Transport.choose(null, unavailable(Map.of(
                Transport.IO_URING, "java.lang.RuntimeException: failed to create io_uring ring fd Operation not permitted")));
        assertThat(choice.transport()).isEqualTo(Transport.EPOLL);
        assertThat(choice.why()).isEqualTo("auto: io_uring is not available: java.lang.RuntimeException: failed to "
                + "create io_uring ring fd Operation not permitted; so epoll");
    }

    @Test
    void autoFallsBackToNioWhenNeitherNativeTransportRuns() {
        Transport.Choice choice = Transport.choose(" AUTO ", unavailable(Map.of(
                Transport.IO_URING, "kernel.io_uring_disabled=2", Transport.EPOLL, "no native library")));
        assertThat(choice.transport()).isEqualTo(Transport.NIO);
        assertThat(choice.why()).contains("io_uring is not available: kernel.io_uring_disabled=2")
                .contains("epoll is not available: no native library").endsWith("so nio");
    }

    @Test
    void aTransportAskedForByNameIsTakenWhenItRuns() {
        assertThat(Transport.choose("epoll", unavailable(Map.of())).transport()).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("io_uring", unavailable(Map.of())).transport()).isEqualTo(Transport.IO_URING);
        assertThat(Transport.choose("NIO", unavailable(Map.of(Transport.IO_URING, "off"))).why())
                .isEqualTo("-Dshardgate.transport=nio");
    }

    @Test
    void aTransportAskedForByNameThatCannotRunIsAnErrorWithTheReasonNotAFallback() {
        assertThatThrownBy(() -> Transport.choose("io_uring", unavailable(Map.of(Transport.IO_URING, "seccomp said EPERM"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("-Dshardgate.transport=io_uring asks for the io_uring transport, which cannot run here: "
                        + "seccomp said EPERM");
    }

    @Test
    void anUnknownNameIsRefused() {
        assertThatThrownBy(() -> Transport.choose("kqueue", unavailable(Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport (io_uring, epoll, nio or auto)");
    }

    @Test
    void nioCannotListenOnAUnixSocket() {
        assertThatThrownBy(Transport.NIO::domainServerChannelFactory).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("need a native transport");
    }
}
