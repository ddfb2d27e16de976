package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RedisProxyFixture;
import io.shardgate.testsupport.RedisServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * What twemproxy's own redis tests check, against real redis-servers: malformed framing is answered with a
 * protocol error and that client alone is closed, never met with silence; 16 MiB values pass through a pool
 * within its timeout, as through nutcracker.
 */
class RedisConformanceIT {
    /**
     * twemproxy's suite runs this with 400 ms (see docs/CONFORMANCE.md for that run); 5 s here keeps the test
     * about streaming (gathered by copying, one MSET took 11 to 50 s), not about how busy the machine is.
     */
    private static final long TIMEOUT_MS = 5_000;
    private static final List<RedisServer> servers = new ArrayList<>();
    private static ShardGateServer proxy;

    @BeforeAll
    static void start() throws InterruptedException {
        for (int i = 0; i < 2; i++) servers.add(RedisServer.start());
        PoolConfig base = RedisProxyFixture.pool("ntest", servers, null, null, 0);
        // twemproxy's suite config: fnv1a_64 with modula, which puts its kkk-N keys on both servers
        PoolConfig pool = new PoolConfig(base.name(), base.listen(), base.hash(), base.hashTag(),
                io.shardgate.config.DistributionKind.MODULA,
                TIMEOUT_MS, base.backlog(), base.clientConnections(), true, null, 0, true, false, 1,
                base.serverRetryTimeoutMs(), base.serverFailureLimit(), false, base.servers());
        proxy = ShardGateServer.start(new ProxyConfig(Path.of("test.yml"), List.of(pool)),
                ServerSettings.defaults().withWorkers(2));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        servers.forEach(RedisServer::close);
    }

    private static int port() {
        return ((InetSocketAddress) proxy.listenAddresses().get(0)).getPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",
        "*3\r\n*abcde\r\n",
        "*-2\r\n",
        "*4\r\n$4\r\nMSET\r\n$1\r\nA\r\n$1\r\nA\r\n$1\r\nA\r\n",
        "*2\r\n$4\r\nMSET\r\n$1\r\nA\r\n",
        "*1\r\n$-5\r\n",
    })
    void malformedFramingIsAnsweredThenThatClientAloneIsClosed(String request) {
        try (RawClient bystander = RawClient.connect(port()); RawClient bad = RawClient.connect(port())) {
            bystander.send("*3\r\n$3\r\nSET\r\n$4\r\nkeep\r\n$2\r\nme\r\n");
            assertThat(bystander.readLine()).isEqualTo("+OK\r\n");
            bad.send(request + "*1\r\n$4\r\nPING\r\n");
            assertThat(bad.readLine()).startsWith("-ERR Protocol error: ");
            assertThat(bad.isClosedByPeer()).isTrue();
            bystander.send("*2\r\n$3\r\nGET\r\n$4\r\nkeep\r\n");
            assertThat(bystander.readLike("$2\r\nme\r\n")).isEqualTo("$2\r\nme\r\n");
        }
    }

    @Test
    void aWrongArgumentCountGetsRedissErrorAndTheConnectionGoesOn() {
        try (RawClient c = RawClient.connect(port())) {
            c.send("*1\r\n$3\r\nGET\r\n*1\r\n$4\r\nPING\r\n");
            assertThat(c.readLine()).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            assertThat(c.readLine()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void sixteenMebibyteValuesPassThroughWithinTheTimeout() {
        // twemproxy's test_mget_binary_value: five 16 MiB values and five empty ones in one MSET, MGET and DEL
        Random random = new Random(7);
        List<byte[]> keysAndValues = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] key = ("kkk-" + i).getBytes(StandardCharsets.US_ASCII);
            byte[] value = new byte[i < 5 ? 16 * 1024 * 1024 : 0];
            random.nextBytes(value);
            keys.add(key);
            values.add(value);
            keysAndValues.add(key);
            keysAndValues.add(value);
        }
        try (Jedis j = new Jedis("127.0.0.1", port(), 30_000)) {
            for (int round = 0; round < 2; round++) {
                assertThat(j.mset(keysAndValues.toArray(new byte[0][]))).isEqualTo("OK");
                List<byte[]> got = j.mget(keys.toArray(new byte[0][]));
                assertThat(got).hasSize(10);
                for (int i = 0; i < 10; i++) assertThat(Arrays.equals(got.get(i), values.get(i))).as("value " + i).isTrue();
                assertThat(j.del(keys.toArray(new byte[0][]))).isEqualTo(10);
            }
        }
        // the values went to both servers, so both the split and the merge were exercised
        for (RedisServer server : servers) {
            try (Jedis direct = new Jedis("127.0.0.1", server.port())) {
                assertThat(direct.info("commandstats")).contains("cmdstat_mset:", "cmdstat_mget:");
            }
        }
    }
}
