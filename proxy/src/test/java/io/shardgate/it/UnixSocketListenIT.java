package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RunningProxy;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pool listening on a unix socket with a file mode, as nutcracker's {@code listen: /path 0666}. */
class UnixSocketListenIT {
    @TempDir
    Path dir;

    @Test
    void servesOnAUnixSocketWithTheConfiguredModeAndRemovesItOnClose() throws Exception {
        Path socket = dir.resolve("shardgate.sock");
        try (MemcachedServer memcached = MemcachedServer.start()) {
            RunningProxy proxy = RunningProxy.start("pool:\n  listen: " + socket + " 0640\n  servers:\n   - 127.0.0.1:"
                    + memcached.port() + ":1\n");
            try {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-r-----");
                try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    channel.write(ByteBuffer.wrap("set u 0 0 2\r\nok\r\nget u\r\n".getBytes(StandardCharsets.US_ASCII)));
                    channel.configureBlocking(false); // reads below are bounded by the deadline, never stuck
                    String expected = "STORED\r\nVALUE u 0 2\r\nok\r\nEND\r\n";
                    ByteBuffer reply = ByteBuffer.allocate(expected.length());
                    long deadline = System.nanoTime() + 5_000_000_000L;
                    while (reply.hasRemaining() && System.nanoTime() < deadline) {
                        int n = channel.read(reply);
                        if (n < 0) break;
                        if (n == 0) Thread.sleep(5);
                    }
                    assertThat(new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII)).isEqualTo(expected);
                }
            } finally {
                proxy.close();
            }
            assertThat(socket).doesNotExist();
        }
    }
}
