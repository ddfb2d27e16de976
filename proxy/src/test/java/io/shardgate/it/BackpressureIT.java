package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.shardgate.testsupport.ProxyFixture;
import io.shardgate.testsupport.RawClient;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A client that sends without reading is held back; the backend connections it shares keep serving others,
 * and the proxy's memory stays bounded.
 */
class BackpressureIT {
    @Test
    void aClientThatDoesNotReadIsThrottledWhileOthersAreServed() throws Exception {
        try (ProxyFixture fixture = ProxyFixture.memcache(2)) {
            byte[] value = new byte[100 * 1024];
            try (RawClient setup = fixture.client()) {
                setup.send(("set big 0 0 " + value.length + "\r\n").getBytes());
                setup.send(value);
                setup.send("\r\n".getBytes());
                assertThat(setup.readLine()).isEqualTo("STORED\r\n");
            }
            long directBefore = usedDirectMemory();
            long getsBefore = getsServed(fixture);
            try (RawClient greedy = fixture.client()) {
                // 20,000 gets of a 100 KiB value in one write (180 KB: the proxy can read it all at once), then no
                // reading: 2 GB of replies if the proxy forwarded them all
                byte[] pipeline = "get big\r\n".repeat(20_000).getBytes();
                CompletableFuture<Void> writing = greedy.sendInBackground(pipeline);
                writing.get(10, java.util.concurrent.TimeUnit.SECONDS);
                Thread.sleep(1500); // let it push as far as the proxy lets it

                try (RawClient polite = fixture.client()) {
                    for (int i = 0; i < 200; i++) {
                        long start = System.nanoTime();
                        polite.send("set k" + i + " 0 0 1\r\nx\r\nget k" + i + "\r\n");
                        assertThat(polite.readLike("STORED\r\nVALUE k" + i + " 0 1\r\nx\r\nEND\r\n"))
                                .isEqualTo("STORED\r\nVALUE k" + i + " 0 1\r\nx\r\nEND\r\n");
                        assertThat((System.nanoTime() - start) / 1_000_000).as("another client is not held up").isLessThan(2000);
                    }
                }
                Thread.sleep(3000); // time enough for a proxy without backpressure to forward them all
                // Only about as many of its gets reached memcached as the proxy lets a client owe (512), plus
                // what the socket buffers took: not the millions it sent.
                long forwarded = getsServed(fixture) - getsBefore;
                assertThat(forwarded).as("gets forwarded for the client that does not read").isLessThan(5_000);
                long grown = usedDirectMemory() - directBefore;
                assertThat(grown).as("proxy buffers stay bounded (bytes)").isLessThan(128L * 1024 * 1024);
            }
        }
    }

    /** {@code cmd_get} summed over the backends, asked directly. */
    private static long getsServed(ProxyFixture fixture) {
        long total = 0;
        for (var server : fixture.backends()) {
            try (RawClient direct = RawClient.connect(server.port())) {
                direct.send("stats\r\n");
                String stats = direct.readUntil("END\r\n", 100_000);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("STAT cmd_get (\\d+)").matcher(stats);
                assertThat(m.find()).isTrue();
                total += Long.parseLong(m.group(1));
            }
        }
        return total;
    }

    private static long usedDirectMemory() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }
}
