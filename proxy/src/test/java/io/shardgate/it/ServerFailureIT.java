package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.routing.PoolRouter;
import io.shardgate.testsupport.FakeServer;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RunningProxy;
import io.shardgate.testsupport.Started;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dead, frozen, silent and resetting servers behind the proxy: no request waits longer than the timeout plus a
 * margin, errors are clear, keys on the other servers are unaffected, and traffic flows again after recovery.
 */
class ServerFailureIT {
    private static final int TIMEOUT_MS = 300;
    /** Generous for a shared two-core machine; what matters is that nothing hangs. */
    private static final int MARGIN_MS = 1200;

    private final Started started = new Started();

    @AfterEach
    void closeAll() throws Exception {
        started.close();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        return started.add(resource);
    }

    private static String yaml(String extra, int... ports) {
        StringBuilder servers = new StringBuilder();
        for (int port : ports) servers.append("   - 127.0.0.1:").append(port).append(":1\n");
        return "pool:\n  listen: 127.0.0.1:" + FreePorts.next() + "\n  timeout: " + TIMEOUT_MS + "\n" + extra
                + "  servers:\n" + servers;
    }

    /** A key the pool routes to server {@code index}, and one routed elsewhere. */
    private static String keyOn(RunningProxy proxy, int index, boolean onIt, String prefix) {
        PoolRouter router = PoolRouter.forPool(proxy.config().pools().get(0));
        for (int i = 0; i < 100_000; i++) {
            String key = prefix + i;
            byte[] b = key.getBytes(StandardCharsets.ISO_8859_1);
            if ((router.serverFor(b, 0, b.length) == index) == onIt) return key;
        }
        throw new AssertionError("no key found");
    }

    private static String setAndGet(RawClient c, String key) {
        c.send("set " + key + " 0 0 2\r\nok\r\nget " + key + "\r\n");
        String first = c.readLine();
        if (!first.equals("STORED\r\n")) return first;
        return c.readLine() + c.readLine() + c.readLine();
    }

    @Test
    void killedServerFailsFastAndTheOthersAreUnaffected() {
        MemcachedServer a = closing(MemcachedServer.start());
        MemcachedServer b = closing(MemcachedServer.start());
        RunningProxy proxy = closing(RunningProxy.start(yaml("", a.port(), b.port())));
        String onA = keyOn(proxy, 0, true, "kill:");
        String onB = keyOn(proxy, 0, false, "kill:");
        try (RawClient c = proxy.client()) {
            assertThat(setAndGet(c, onA)).isEqualTo("VALUE " + onA + " 0 2\r\nok\r\nEND\r\n");
            a.kill();
            long start = System.nanoTime();
            c.send("get " + onA + "\r\n");
            assertThat(c.readLine()).startsWith("SERVER_ERROR ");
            assertThat(elapsedMs(start)).isLessThan(TIMEOUT_MS + MARGIN_MS);
            assertThat(setAndGet(c, onB)).isEqualTo("VALUE " + onB + " 0 2\r\nok\r\nEND\r\n");
            c.send("get " + onA + "\r\n");
            assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection refused\r\n");

            a.launch(); // recovery: the next request after the backoff reconnects
            String reply = "";
            for (int attempt = 0; attempt < 50 && !reply.startsWith("STORED"); attempt++) {
                sleep(100);
                c.send("set " + onA + " 0 0 2\r\nok\r\n");
                reply = c.readLine();
            }
            assertThat(reply).isEqualTo("STORED\r\n");
        }
    }

    @Test
    void frozenServerTimesOutWithinTheTimeoutAndRecoversWhenThawed() {
        MemcachedServer a = closing(MemcachedServer.start());
        MemcachedServer b = closing(MemcachedServer.start());
        RunningProxy proxy = closing(RunningProxy.start(yaml("", a.port(), b.port())));
        String onA = keyOn(proxy, 0, true, "stop:");
        String onB = keyOn(proxy, 0, false, "stop:");
        try (RawClient c = proxy.client(); RawClient other = proxy.client()) {
            assertThat(setAndGet(c, onA)).isEqualTo("VALUE " + onA + " 0 2\r\nok\r\nEND\r\n");
            a.pause();
            try {
                long start = System.nanoTime();
                // three requests in flight on the frozen server: all answered with the timeout error
                c.send("get " + onA + "\r\nget " + onA + "\r\nget " + onA + "\r\n");
                for (int i = 0; i < 3; i++) assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection timed out\r\n");
                long waited = elapsedMs(start);
                assertThat(waited).isGreaterThanOrEqualTo(TIMEOUT_MS - 50).isLessThan(TIMEOUT_MS + MARGIN_MS);
                // a client of the other server never noticed
                assertThat(setAndGet(other, onB)).isEqualTo("VALUE " + onB + " 0 2\r\nok\r\nEND\r\n");
            } finally {
                a.resume();
            }
            String reply = "";
            for (int attempt = 0; attempt < 50 && !reply.startsWith("VALUE"); attempt++) {
                sleep(100);
                c.send("get " + onA + "\r\n");
                reply = c.readLine();
                if (reply.startsWith("VALUE")) c.readLine();
                if (reply.startsWith("VALUE") || reply.startsWith("END")) c.readLine();
            }
            assertThat(reply).isEqualTo("VALUE " + onA + " 0 2\r\n");
        }
    }

    @Test
    void serverThatNeverAnswersTimesOut() {
        FakeServer silent = closing(FakeServer.start(FakeServer.Behaviour.SILENT));
        RunningProxy proxy = closing(RunningProxy.start(yaml("", silent.port())));
        try (RawClient c = proxy.client()) {
            long start = System.nanoTime();
            c.send("get k\r\nset k 0 0 1\r\nx\r\n");
            assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection timed out\r\n");
            assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection timed out\r\n");
            assertThat(elapsedMs(start)).isLessThan(TIMEOUT_MS + MARGIN_MS);
        }
    }

    @Test
    void serverThatResetsMidReplyFailsThatRequestAtOnce() {
        FakeServer resetting = closing(FakeServer.start(FakeServer.Behaviour.RESET_MID_REPLY));
        RunningProxy proxy = closing(RunningProxy.start(yaml("", resetting.port())));
        try (RawClient c = proxy.client()) {
            long start = System.nanoTime();
            c.send("get k\r\n");
            assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection reset by peer\r\n");
            assertThat(elapsedMs(start)).isLessThan(TIMEOUT_MS);
            c.send("version\r\n"); // the client connection itself is fine
            assertThat(c.readLine()).startsWith("VERSION ");
        }
    }

    @Test
    void garbageFromAServerFailsTheRequestAndNeverReachesTheClient() {
        FakeServer garbage = closing(FakeServer.start(FakeServer.Behaviour.GARBAGE));
        RunningProxy proxy = closing(RunningProxy.start(yaml("", garbage.port())));
        try (RawClient c = proxy.client()) {
            long start = System.nanoTime();
            c.send("get k\r\n");
            assertThat(c.readLine()).startsWith("SERVER_ERROR ").isNotEqualTo(FakeServer.GARBAGE_LINE);
            assertThat(elapsedMs(start)).as("answered, not left to time out").isLessThan(TIMEOUT_MS + MARGIN_MS);
            c.send("set k 0 0 1\r\nx\r\nversion\r\n"); // the next request gets the same, and the client goes on
            assertThat(c.readLine()).startsWith("SERVER_ERROR ");
            assertThat(c.readLine()).startsWith("VERSION ");
        }
    }

    @Test
    void serverDownAtStartIsRefusedAtOnce() {
        int nobody = FreePorts.next();
        MemcachedServer b = closing(MemcachedServer.start());
        RunningProxy proxy = closing(RunningProxy.start(yaml("  preconnect: true\n", nobody, b.port())));
        String onDead = keyOn(proxy, 0, true, "down:");
        String onB = keyOn(proxy, 0, false, "down:");
        try (RawClient c = proxy.client()) {
            long start = System.nanoTime();
            c.send("get " + onDead + "\r\n");
            assertThat(c.readLine()).isEqualTo("SERVER_ERROR Connection refused\r\n");
            assertThat(elapsedMs(start)).isLessThan(TIMEOUT_MS);
            assertThat(setAndGet(c, onB)).isEqualTo("VALUE " + onB + " 0 2\r\nok\r\nEND\r\n");
        }
    }

    @Test
    void ejectedServerKeysMoveToTheOthersAndComeBackAfterTheRetryTimeout() {
        MemcachedServer a = closing(MemcachedServer.start());
        MemcachedServer b = closing(MemcachedServer.start());
        MemcachedServer c3 = closing(MemcachedServer.start());
        RunningProxy proxy = closing(RunningProxy.start(yaml(
                "  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 1500\n",
                a.port(), b.port(), c3.port())));
        String onA = keyOn(proxy, 0, true, "eject:");
        try (RawClient c = proxy.client()) {
            assertThat(setAndGet(c, onA)).isEqualTo("VALUE " + onA + " 0 2\r\nok\r\nEND\r\n");
            a.kill();
            // The closed connection counts a failure, which reaches the limit and ejects the server: a request
            // that races the close fails, one after it is already routed to another server (a miss there).
            c.send("get " + onA + "\r\n");
            assertThat(c.readLine()).matches("SERVER_ERROR .*\r\n|END\r\n");
            String served = "";
            for (int attempt = 0; attempt < 20 && !served.startsWith("VALUE"); attempt++) {
                sleep(50);
                served = setAndGet(c, onA);
            }
            assertThat(served).as("the key is served by another server once its own is ejected")
                    .isEqualTo("VALUE " + onA + " 0 2\r\nok\r\nEND\r\n");
            assertThat(holds(b, onA) || holds(c3, onA)).isTrue();
            // counted once in the stats, with a timestamp
            String stats = proxy.statsJson();
            assertThat(stats).containsPattern("\"server_ejects\":\\s*1\\b");
            assertThat(stats).containsPattern("\"server_ejected_at\":\\s*[1-9]\\d{15}");

            a.launch();
            sleep(1700); // past server_retry_timeout: the server is back and its keys with it
            c.send("get " + onA + "\r\n");
            assertThat(c.readLine()).as("a fresh memcached does not have the key").isEqualTo("END\r\n");
            assertThat(setAndGet(c, onA)).isEqualTo("VALUE " + onA + " 0 2\r\nok\r\nEND\r\n");
            assertThat(holds(a, onA)).isTrue();
        }
    }

    @Test
    void clientsOverClientConnectionsAreRefused() {
        MemcachedServer a = closing(MemcachedServer.start());
        RunningProxy proxy = closing(RunningProxy.start(yaml("  client_connections: 2\n", a.port())));
        try (RawClient one = proxy.client(); RawClient two = proxy.client()) {
            one.send("version\r\n");
            two.send("version\r\n");
            assertThat(one.readLine()).startsWith("VERSION");
            assertThat(two.readLine()).startsWith("VERSION");
            try (RawClient three = proxy.client()) {
                assertThat(three.readLine()).isEqualTo("SERVER_ERROR Too many client connections\r\n");
                assertThat(three.isClosedByPeer()).isTrue();
            }
        }
        // once a client leaves, there is room again
        String reply = "";
        for (int attempt = 0; attempt < 20 && !reply.startsWith("VERSION"); attempt++) {
            sleep(50);
            try (RawClient again = proxy.client()) {
                again.send("version\r\n");
                reply = again.readLine();
            }
        }
        assertThat(reply).startsWith("VERSION");
    }

    private static boolean holds(MemcachedServer server, String key) {
        try (RawClient direct = RawClient.connect(server.port())) {
            direct.send("get " + key + "\r\n");
            return direct.readLine().startsWith("VALUE");
        }
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
