package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.routing.PoolRouter;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RunningProxy;
import io.shardgate.testsupport.Started;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** shardgate's failure options beyond nutcracker, each against real memcached servers. */
class FailurePolicyIT {
    private final Started started = new Started();
    private MemcachedServer a;
    private MemcachedServer b;
    private RunningProxy proxy;
    private String onA;
    private String onB;

    @AfterEach
    void closeAll() throws Exception {
        started.close();
    }

    private void start(String options) {
        a = MemcachedServer.start();
        started.add(a);
        b = MemcachedServer.start();
        started.add(b);
        proxy = RunningProxy.start("pool:\n  listen: 127.0.0.1:" + FreePorts.next() + "\n  timeout: 300\n" + options
                + "  servers:\n   - 127.0.0.1:" + a.port() + ":1\n   - 127.0.0.1:" + b.port() + ":1\n");
        started.add(proxy);
        PoolRouter router = PoolRouter.forPool(proxy.config().pools().get(0));
        for (int i = 0; onA == null || onB == null; i++) {
            byte[] k = ("opt:" + i).getBytes(StandardCharsets.ISO_8859_1);
            if (router.serverFor(k, 0, k.length) == 0) {
                if (onA == null) onA = "opt:" + i;
            } else if (onB == null) {
                onB = "opt:" + i;
            }
        }
    }

    private String request(String text, int lines) {
        try (RawClient c = proxy.client()) {
            c.send(text);
            StringBuilder reply = new StringBuilder();
            for (int i = 0; i < lines; i++) reply.append(c.readLine());
            return reply.toString();
        }
    }

    /** Sends requests for A's key until the proxy has noticed A is gone and ejected it. */
    private void driveEjectionOfA() {
        a.kill();
        for (int i = 0; i < 5; i++) request("get " + onA + "\r\n", 1);
    }

    @Test
    void ejectPolicyFailKeepsKeysInPlaceAndFailsFast() {
        start("  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 60000\n  eject_policy: fail\n");
        driveEjectionOfA();
        long start = System.nanoTime();
        assertThat(request("get " + onA + "\r\n", 1)).isEqualTo("SERVER_ERROR Server ejected from pool\r\n");
        assertThat(request("set " + onA + " 0 0 1\r\nx\r\n", 1)).isEqualTo("SERVER_ERROR Server ejected from pool\r\n");
        assertThat((System.nanoTime() - start) / 1_000_000).as("fails fast, no timeout").isLessThan(300);
        // the key did not move to B
        try (RawClient direct = RawClient.connect(b.port())) {
            direct.send("get " + onA + "\r\n");
            assertThat(direct.readLine()).isEqualTo("END\r\n");
        }
        assertThat(request("set " + onB + " 0 0 1\r\nx\r\n", 1)).isEqualTo("STORED\r\n");
    }

    @Test
    void ejectPolicyMissAnswersRetrievalsAsMisses() {
        start("  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 60000\n  eject_policy: miss\n");
        assertThat(request("set " + onB + " 0 0 1\r\nb\r\n", 1)).isEqualTo("STORED\r\n");
        driveEjectionOfA();
        assertThat(request("get " + onA + "\r\n", 1)).isEqualTo("END\r\n");
        assertThat(request("get " + onA + " " + onB + "\r\n", 3))
                .isEqualTo("VALUE " + onB + " 0 1\r\nb\r\nEND\r\n");
        assertThat(request("delete " + onA + "\r\n", 1)).isEqualTo("SERVER_ERROR Server ejected from pool\r\n");
    }

    @Test
    void partialMultigetAnswersAFailedShardsKeysAsMisses() {
        start("  partial_multiget: true\n");
        assertThat(request("set " + onA + " 0 0 1\r\na\r\nset " + onB + " 0 0 1\r\nb\r\n", 2)).isEqualTo("STORED\r\nSTORED\r\n");
        assertThat(request("get " + onA + " " + onB + "\r\n", 5))
                .isEqualTo("VALUE " + onA + " 0 1\r\na\r\nVALUE " + onB + " 0 1\r\nb\r\nEND\r\n");
        a.kill();
        for (int i = 0; i < 3; i++) request("get " + onA + " " + onB + "\r\n", 1); // let the proxy notice
        assertThat(request("get " + onA + " " + onB + "\r\n", 3)).isEqualTo("VALUE " + onB + " 0 1\r\nb\r\nEND\r\n");
        // a single-key get is not a multi-key get: it still reports the failure
        assertThat(request("get " + onA + "\r\n", 1)).startsWith("SERVER_ERROR ");
    }

    @Test
    void withoutPartialMultigetAFailedShardFailsTheWholeGet() {
        start("");
        assertThat(request("set " + onB + " 0 0 1\r\nb\r\n", 1)).isEqualTo("STORED\r\n");
        a.kill();
        for (int i = 0; i < 3; i++) request("get " + onA + " " + onB + "\r\n", 1);
        assertThat(request("get " + onA + " " + onB + "\r\n", 1)).isEqualTo("SERVER_ERROR Connection refused\r\n");
    }

    @Test
    void readmitProbeWaitsForTheServerToAnswer() throws Exception {
        start("  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 300\n  readmit_probe: true\n");
        int portOfA = a.port();
        driveEjectionOfA();
        Thread.sleep(900); // well past the retry timeout; A is still dead, so its probes fail
        // still ejected: A's key is served by B
        assertThat(request("set " + onA + " 0 0 1\r\nx\r\n", 1)).isEqualTo("STORED\r\n");
        try (RawClient direct = RawClient.connect(b.port())) {
            direct.send("get " + onA + "\r\n");
            assertThat(direct.readLine()).startsWith("VALUE");
        }
        MemcachedServer again = MemcachedServer.onPort(portOfA);
        started.add(again);
        // the next probe succeeds (backoff doubles from 300 ms) and A is back: its key is looked up there again
        String reply = "";
        for (int i = 0; i < 60 && !reply.equals("END\r\n"); i++) {
            Thread.sleep(100);
            reply = request("get " + onA + "\r\n", 1);
            if (reply.startsWith("VALUE")) request("", 0);
        }
        assertThat(reply).isEqualTo("END\r\n");
    }
}
