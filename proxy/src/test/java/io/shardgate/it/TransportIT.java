package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.transport.Transport;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RunningProxy;
import org.junit.jupiter.api.Test;

/**
 * The integration suite runs once per transport (failsafe executions in proxy/pom.xml, each with its own
 * {@code -Dshardgate.transport}). This checks that the run serves on the transport it asked for: a kernel that
 * refuses io_uring fails the io_uring run here with the reason, rather than passing on epoll unnoticed.
 */
class TransportIT {
    @Test
    void theProxyServesOnTheTransportThisRunAskedFor() throws Exception {
        String requested = System.getProperty(Transport.PROPERTY, "auto");
        Transport expected = expectedTransport(requested);
        try (MemcachedServer memcached = MemcachedServer.start();
                RunningProxy proxy = RunningProxy.start("pool:\n  listen: 127.0.0.1:" + FreePorts.next() + "\n  servers:\n   - 127.0.0.1:"
                        + memcached.port() + ":1\n");
                RawClient client = proxy.client()) {
            assertThat(proxy.transport()).isEqualTo(expected);
            client.send("set t 0 0 2\r\nok\r\nget t\r\n");
            assertThat(client.readLike("STORED\r\nVALUE t 0 2\r\nok\r\nEND\r\n"))
                    .isEqualTo("STORED\r\nVALUE t 0 2\r\nok\r\nEND\r\n");
        }
    }

    private static Transport expectedTransport(String requested) {
        if (requested.equals("auto")) {
            for (Transport t : Transport.values()) {
                if (t.isAvailable()) return t;
            }
        }
        for (Transport t : Transport.values()) {
            if (t.label().equals(requested)) {
                assertThat(t.unavailabilityReason())
                        .as("this test run asked for -D%s=%s, and that transport cannot run on this machine (kernel "
                                + "%s); on a kernel without io_uring, skip its run with -Dskip.io_uring.it=true",
                                Transport.PROPERTY, requested, System.getProperty("os.version"))
                        .isNull();
                return t;
            }
        }
        throw new AssertionError("unknown -D" + Transport.PROPERTY + "=" + requested);
    }
}
