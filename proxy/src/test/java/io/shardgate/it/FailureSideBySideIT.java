package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.routing.PoolRouter;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.NutcrackerServer;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RunningProxy;
import io.shardgate.testsupport.Started;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same failures under nutcracker and shardgate with the same config: what a client sees must match, and
 * where it deliberately differs the test says so.
 */
class FailureSideBySideIT {
    private final Started started = new Started();

    @AfterEach
    void closeAll() throws Exception {
        started.close();
    }

    private <T extends AutoCloseable> T closing(T resource) {
        return started.add(resource);
    }

    private record Pair(RunningProxy shardgate, NutcrackerServer nutcracker, String keyOnA, String keyOnB) {}

    private Pair start(MemcachedServer a, MemcachedServer b, String extra) {
        String body = "  timeout: 300\n" + extra + "  servers:\n   - 127.0.0.1:" + a.port() + ":1\n   - 127.0.0.1:" + b.port() + ":1\n";
        int nutPort = FreePorts.next();
        NutcrackerServer nut = closing(NutcrackerServer.start("pool:\n  listen: 127.0.0.1:" + nutPort + "\n" + body, nutPort));
        RunningProxy sg = closing(RunningProxy.start("pool:\n  listen: 127.0.0.1:" + FreePorts.next() + "\n" + body));
        PoolRouter router = PoolRouter.forPool(sg.config().pools().get(0));
        String onA = null;
        String onB = null;
        for (int i = 0; onA == null || onB == null; i++) {
            byte[] k = ("side:" + i).getBytes(StandardCharsets.ISO_8859_1);
            if (router.serverFor(k, 0, k.length) == 0) onA = onA == null ? "side:" + i : onA;
            else onB = onB == null ? "side:" + i : onB;
        }
        return new Pair(sg, nut, onA, onB);
    }

    private static String get(int port, String key) {
        try (RawClient c = RawClient.connect(port)) {
            c.send("get " + key + "\r\n");
            String line = c.readLine();
            if (line.startsWith("VALUE")) line += c.readLine() + c.readLine();
            return line;
        }
    }

    private static void set(int port, String key) {
        try (RawClient c = RawClient.connect(port)) {
            c.send("set " + key + " 0 0 2\r\nok\r\n");
            assertThat(c.readLine()).isEqualTo("STORED\r\n");
        }
    }

    @Test
    void deadServerWithoutEjection() {
        MemcachedServer a = closing(MemcachedServer.start());
        MemcachedServer b = closing(MemcachedServer.start());
        Pair p = start(a, b, "");
        set(p.nutcracker().port(), p.keyOnB());
        a.kill();
        // Once the connection is known to be gone, both refuse at once with the same line.
        for (int i = 0; i < 3; i++) {
            get(p.nutcracker().port(), p.keyOnA());
            get(p.shardgate().port(), p.keyOnA());
        }
        assertThat(get(p.shardgate().port(), p.keyOnA())).isEqualTo("SERVER_ERROR Connection refused\r\n");
        assertThat(get(p.nutcracker().port(), p.keyOnA())).isEqualTo("SERVER_ERROR Connection refused\r\n");
        // and the other server's keys are unaffected under both
        String hit = "VALUE " + p.keyOnB() + " 0 2\r\nok\r\nEND\r\n";
        assertThat(get(p.nutcracker().port(), p.keyOnB())).isEqualTo(hit);
        assertThat(get(p.shardgate().port(), p.keyOnB())).isEqualTo(hit);
    }

    @Test
    void frozenServerTimesOutWithTheSameLine() {
        MemcachedServer a = closing(MemcachedServer.start());
        MemcachedServer b = closing(MemcachedServer.start());
        Pair p = start(a, b, "");
        get(p.nutcracker().port(), p.keyOnA()); // both connected before the freeze
        get(p.shardgate().port(), p.keyOnA());
        a.pause();
        try {
            assertThat(get(p.nutcracker().port(), p.keyOnA())).isEqualTo("SERVER_ERROR Connection timed out\r\n");
            assertThat(get(p.shardgate().port(), p.keyOnA())).isEqualTo("SERVER_ERROR Connection timed out\r\n");
        } finally {
            a.resume();
        }
    }

    @Test
    void ejectionMovesTheSameKeysAndReadmissionBringsThemBack() {
        MemcachedServer a = closing(MemcachedServer.start());
        MemcachedServer b = closing(MemcachedServer.start());
        Pair p = start(a, b, "  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 1500\n");
        a.kill();
        // drive both into ejecting A
        for (int i = 0; i < 5; i++) {
            get(p.nutcracker().port(), p.keyOnA());
            get(p.shardgate().port(), p.keyOnA());
        }
        // with A out, A's key is served by B under both: a set through one is a hit through the other
        set(p.nutcracker().port(), p.keyOnA());
        assertThat(get(p.shardgate().port(), p.keyOnA())).isEqualTo("VALUE " + p.keyOnA() + " 0 2\r\nok\r\nEND\r\n");
        a.launch();
        try {
            Thread.sleep(1800);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the retry timeout both put A back: the key is looked up on (the fresh, empty) A again.
        get(p.nutcracker().port(), p.keyOnA()); // nutcracker re-admits lazily, on a request
        assertThat(get(p.nutcracker().port(), p.keyOnA())).isEqualTo("END\r\n");
        assertThat(get(p.shardgate().port(), p.keyOnA())).isEqualTo("END\r\n");
        set(p.shardgate().port(), p.keyOnA());
        assertThat(get(p.nutcracker().port(), p.keyOnA())).isEqualTo("VALUE " + p.keyOnA() + " 0 2\r\nok\r\nEND\r\n");
    }
}
