package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.routing.PoolRouter;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RedisProxyFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;

/** Three real redis-servers behind shardgate, driven with Jedis (a real client) and with exact bytes. */
class RedisProtocolIT {
    private static RedisProxyFixture fixture;
    private static PoolRouter router;

    @BeforeAll
    static void start() throws Exception {
        fixture = new RedisProxyFixture(3, null, 0);
        router = PoolRouter.forPool(fixture.pool());
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
    }

    @BeforeEach
    void flush() {
        for (int i = 0; i < 3; i++) {
            try (Jedis direct = fixture.direct(i)) {
                direct.flushAll();
            }
        }
    }

    private static int serverOf(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return router.serverFor(k, 0, k.length);
    }

    @Test
    void stringsAndBitmapsGoToTheKeysServer() {
        try (Jedis j = fixture.jedis()) {
            assertThat(j.set("s1", "hello")).isEqualTo("OK");
            assertThat(j.get("s1")).isEqualTo("hello");
            assertThat(j.append("s1", " world")).isEqualTo(11);
            assertThat(j.strlen("s1")).isEqualTo(11);
            assertThat(j.getrange("s1", 0, 4)).isEqualTo("hello");
            assertThat(j.set("s1", "x", SetParams.setParams().nx())).isNull();
            assertThat(j.set("s2", "x", SetParams.setParams().nx())).isEqualTo("OK");
            assertThat(j.incr("n")).isEqualTo(1);
            assertThat(j.incrBy("n", 41)).isEqualTo(42);
            assertThat(j.decr("n")).isEqualTo(41);
            assertThat(j.incrByFloat("f", 1.5)).isEqualTo(1.5);
            assertThat(j.getSet("s2", "new")).isEqualTo("x");
            assertThat(j.getDel("s2")).isEqualTo("new");
            assertThat(j.setbit("b", 7, true)).isFalse();
            assertThat(j.getbit("b", 7)).isTrue();
            assertThat(j.bitcount("b")).isEqualTo(1);
            assertThat(j.get("missing")).isNull();
            try (Jedis direct = fixture.direct(serverOf("s1"))) {
                assertThat(direct.get("s1")).isEqualTo("hello world");
            }
        }
    }

    @Test
    void hashesListsSetsAndSortedSets() {
        try (Jedis j = fixture.jedis()) {
            assertThat(j.hset("h", Map.of("a", "1", "b", "2"))).isEqualTo(2);
            assertThat(j.hget("h", "a")).isEqualTo("1");
            assertThat(j.hmget("h", "a", "b", "c")).containsExactly("1", "2", null);
            assertThat(j.hgetAll("h")).isEqualTo(Map.of("a", "1", "b", "2"));
            assertThat(j.hincrBy("h", "a", 5)).isEqualTo(6);
            assertThat(j.hdel("h", "b")).isEqualTo(1);
            assertThat(j.hlen("h")).isEqualTo(1);

            assertThat(j.rpush("l", "a", "b", "c")).isEqualTo(3);
            assertThat(j.lpush("l", "z")).isEqualTo(4);
            assertThat(j.lrange("l", 0, -1)).containsExactly("z", "a", "b", "c");
            assertThat(j.lpop("l")).isEqualTo("z");
            assertThat(j.llen("l")).isEqualTo(3);
            assertThat(j.lindex("l", 1)).isEqualTo("b");

            assertThat(j.sadd("s", "x", "y", "z")).isEqualTo(3);
            assertThat(j.smembers("s")).containsExactlyInAnyOrder("x", "y", "z");
            assertThat(j.sismember("s", "y")).isTrue();
            assertThat(j.scard("s")).isEqualTo(3);

            assertThat(j.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0))).isEqualTo(3);
            assertThat(j.zrange("z", 0, -1)).containsExactly("a", "b", "c");
            assertThat(j.zrangeWithScores("z", 0, 0)).containsExactly(new Tuple("a", 1.0));
            assertThat(j.zscore("z", "b")).isEqualTo(2.0);
            assertThat(j.zrank("z", "c")).isEqualTo(2);
            assertThat(j.zincrby("z", 10, "a")).isEqualTo(11.0);
        }
    }

    @Test
    void hyperLogLogGeoExpiryAndStreams() {
        try (Jedis j = fixture.jedis()) {
            assertThat(j.pfadd("hll", "a", "b", "c", "a")).isEqualTo(1);
            assertThat(j.pfcount("hll")).isEqualTo(3);
            assertThat(j.geoadd("geo", 13.361389, 38.115556, "Palermo")).isEqualTo(1);
            assertThat(j.geoadd("geo", 15.087269, 37.502669, "Catania")).isEqualTo(1);
            assertThat(j.geodist("geo", "Palermo", "Catania", GeoUnit.KM)).isBetween(166.0, 167.0);
            assertThat(j.set("e", "v")).isEqualTo("OK");
            assertThat(j.expire("e", 100)).isEqualTo(1);
            assertThat(j.ttl("e")).isBetween(1L, 100L);
            assertThat(j.pttl("e")).isBetween(1L, 100_000L);
            assertThat(j.persist("e")).isEqualTo(1);
            assertThat(j.ttl("e")).isEqualTo(-1);
            assertThat(j.type("e")).isEqualTo("string");
            assertThat(j.sendCommand(Protocol.Command.XADD, "st", "*", "f", "v")).isNotNull();
            assertThat(j.sendCommand(Protocol.Command.XLEN, "st")).isEqualTo(1L);
        }
    }

    @Test
    void thousandKeysSplitAcrossServersAndMergedInOrder() {
        try (Jedis j = fixture.jedis()) {
            // At least 1,000 keys, and enough that every server owns 50: nutcracker's fnv1a_64 ketama spreads
            // similar keys so unevenly that, for some of the random ports it hashes, one server gets none of 1,000.
            java.util.List<String> chosen = new java.util.ArrayList<>();
            int[] perServer = new int[3];
            for (int i = 0; chosen.size() < 1000 || java.util.Arrays.stream(perServer).min().orElse(0) < 50; i++) {
                assertThat(i).as("keys for every server").isLessThan(1_000_000);
                String key = "key:" + i;
                perServer[serverOf(key)]++;
                chosen.add(key);
            }
            int n = chosen.size();
            String[] keys = chosen.toArray(new String[0]);
            String[] kv = new String[2 * n];
            for (int i = 0; i < n; i++) {
                kv[2 * i] = keys[i];
                kv[2 * i + 1] = "value-" + i;
            }
            assertThat(j.mset(kv)).isEqualTo("OK");
            for (int s = 0; s < 3; s++) {
                try (Jedis direct = fixture.direct(s)) {
                    assertThat(direct.dbSize()).isEqualTo(perServer[s]);
                }
            }
            String[] asked = new String[n + 2];
            System.arraycopy(keys, 0, asked, 0, n);
            asked[n] = "absent";
            asked[n + 1] = keys[7]; // a key asked twice is answered twice
            List<String> values = j.mget(asked);
            assertThat(values).hasSize(n + 2);
            for (int i = 0; i < n; i++) assertThat(values.get(i)).isEqualTo("value-" + i);
            assertThat(values.get(n)).isNull();
            assertThat(values.get(n + 1)).isEqualTo("value-7");
            assertThat(j.exists(asked)).isEqualTo(n + 1);
            assertThat(j.touch(keys)).isEqualTo(n);
            assertThat(j.del(java.util.Arrays.copyOf(keys, 500))).isEqualTo(500);
            assertThat(j.unlink(keys)).isEqualTo(n - 500);
            assertThat(j.mget(keys[0], keys[999])).containsExactly(null, null);
        }
    }

    @Test
    void keysThatMustLiveTogether() {
        try (Jedis j = fixture.jedis()) {
            j.rpush("{q}:src", "a", "b");
            assertThat(j.rpoplpush("{q}:src", "{q}:dst")).isEqualTo("b");
            assertThat(j.lmove("{q}:src", "{q}:dst", redis.clients.jedis.args.ListDirection.LEFT,
                    redis.clients.jedis.args.ListDirection.LEFT)).isEqualTo("a");
            j.sadd("{s}1", "a", "b");
            j.sadd("{s}2", "b", "c");
            assertThat(j.sinterstore("{s}3", "{s}1", "{s}2")).isEqualTo(1);
            assertThat(j.sunionstore("{s}4", "{s}1", "{s}2")).isEqualTo(3);
            assertThat(j.smove("{s}1", "{s}2", "a")).isEqualTo(1);
            assertThat(j.eval("return redis.call('get', KEYS[1]) or 'none'", 2, "{e}a", "{e}b")).isEqualTo("none");
            j.set("{r}old", "v");
            assertThat(j.rename("{r}old", "{r}new")).isEqualTo("OK");
            assertThat(j.get("{r}new")).isEqualTo("v");

            String a = "apart-a";
            String b = differentServerThan(a);
            JedisDataException refused = org.junit.jupiter.api.Assertions.assertThrows(JedisDataException.class,
                    () -> j.rename(a, b));
            assertThat(refused.getMessage()).isEqualTo(
                    "ERR keys of 'rename' are on different servers; keep them together with a hash tag");
            assertThatThrownBy(() -> j.eval("return 1", 2, a, b)).hasMessageContaining("different servers");
            assertThat(j.ping()).isEqualTo("PONG"); // still usable
        }
    }

    private static String differentServerThan(String key) {
        for (int i = 0; ; i++) {
            String other = "other-" + i;
            if (serverOf(other) != serverOf(key)) return other;
        }
    }

    @Test
    void refusedAndUnknownCommandsLeaveTheConnectionUsable() {
        try (Jedis j = fixture.jedis()) {
            assertThatThrownBy(() -> j.keys("*")).hasMessageContaining("'keys' is not supported by shardgate");
            assertThatThrownBy(() -> j.sendCommand(Protocol.Command.MULTI)).hasMessageContaining("'multi' is not supported");
            assertThatThrownBy(() -> j.blpop(1, "l")).hasMessageContaining("'blpop' is not supported");
            assertThatThrownBy(j::flushAll).hasMessageContaining("'flushall' is not supported");
            assertThatThrownBy(() -> j.configGet("*")).hasMessageContaining("'config' is not supported");
            assertThatThrownBy(() -> j.select(2)).hasMessageContaining("SELECT 2 is not supported");
            assertThatThrownBy(() -> j.sendCommand(() -> "NOSUCH".getBytes(StandardCharsets.US_ASCII), "a"))
                    .hasMessageStartingWith("ERR unknown command 'NOSUCH'");
            assertThat(j.select(0)).isEqualTo("OK");
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.ping("hi")).isEqualTo("hi");
            assertThat(j.echo("echo")).isEqualTo("echo");
            j.set("still", "ok");
            assertThat(j.get("still")).isEqualTo("ok");
        }
    }

    @Test
    void pipelineOfThousandCommandsAnswersInOrder() {
        try (Jedis j = fixture.jedis()) {
            Pipeline p = j.pipelined();
            List<Response<?>> responses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                switch (i % 4) {
                    case 0 -> responses.add(p.set("p" + i, "v" + i));
                    case 1 -> responses.add(p.get("p" + (i - 1)));
                    case 2 -> responses.add(p.incr("counter"));
                    default -> responses.add(p.mget("p" + (i - 3), "nope", "p" + (i - 3)));
                }
            }
            p.sync();
            long counter = 0;
            for (int i = 0; i < 1000; i++) {
                Object r = responses.get(i).get();
                switch (i % 4) {
                    case 0 -> assertThat(r).isEqualTo("OK");
                    case 1 -> assertThat(r).isEqualTo("v" + (i - 1));
                    case 2 -> assertThat(r).isEqualTo(++counter);
                    default -> assertThat(r).isEqualTo(java.util.Arrays.asList("v" + (i - 3), null, "v" + (i - 3)));
                }
            }
        }
    }

    @Test
    void oneMebibyteBinaryValues() {
        Random random = new Random(42);
        try (Jedis j = fixture.jedis()) {
            Map<String, byte[]> values = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                byte[] value = new byte[1024 * 1024];
                random.nextBytes(value);
                value[0] = '\r';
                value[1] = '\n';
                values.put("big" + i, value);
                assertThat(j.set(("big" + i).getBytes(StandardCharsets.UTF_8), value)).isEqualTo("OK");
            }
            for (var e : values.entrySet()) {
                assertThat(j.get(e.getKey().getBytes(StandardCharsets.UTF_8))).isEqualTo(e.getValue());
            }
            byte[][] keys = values.keySet().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            List<byte[]> got = j.mget(keys);
            for (int i = 0; i < keys.length; i++) {
                assertThat(got.get(i)).isEqualTo(values.get(new String(keys[i], StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void badRespClosesOnlyThatClient() {
        try (RawClient bad = fixture.client(); Jedis good = fixture.jedis()) {
            good.set("k", "v");
            bad.send("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n+oops\r\n");
            assertThat(bad.readLine()).isEqualTo("+PONG\r\n");
            assertThat(bad.readLine()).isEqualTo("-ERR Protocol error: expected '$', got '+'\r\n");
            assertThat(bad.isClosedByPeer()).isTrue();
            assertThat(good.get("k")).isEqualTo("v");
        }
        try (RawClient huge = fixture.client(); Jedis good = fixture.jedis()) {
            huge.send("*2\r\n$3\r\nSET\r\n$99999999999\r\n");
            assertThat(huge.readLine()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(huge.isClosedByPeer()).isTrue();
            assertThat(good.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void exactBytesForLocalAndInlineCommands() {
        try (RawClient c = fixture.client()) {
            c.send("PING\r\nset inline \"a b\"\r\nget inline\r\n*2\r\n$4\r\nECHO\r\n$0\r\n\r\n");
            assertThat(c.readLine()).isEqualTo("+PONG\r\n");
            assertThat(c.readLine()).isEqualTo("+OK\r\n");
            assertThat(c.readLike("$3\r\na b\r\n")).isEqualTo("$3\r\na b\r\n");
            assertThat(c.readLike("$0\r\n\r\n")).isEqualTo("$0\r\n\r\n");
            c.send("*1\r\n$5\r\nHELLO\r\n*2\r\n$5\r\nHELLO\r\n$1\r\n3\r\n");
            assertThat(c.readLine()).isEqualTo("*14\r\n");
            for (int i = 0; i < 14; i++) {
                String line = c.readLine();
                if (line.startsWith("$")) c.readLine();
                if (line.equals("*0\r\n")) break;
            }
            assertThat(c.readLine()).startsWith("-NOPROTO");
            c.send("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n");
            assertThat(c.readLine()).isEqualTo("+OK\r\n");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void serverErrorsPassThrough() {
        try (Jedis j = fixture.jedis()) {
            j.set("str", "x");
            assertThatThrownBy(() -> j.lpush("str", "a")).hasMessageStartingWith("WRONGTYPE");
            assertThatThrownBy(() -> j.incr("str")).hasMessage("ERR value is not an integer or out of range");
            assertThat(j.mget("str", differentServerThan("str"))).containsExactly("x", null);
        }
    }

    @Test
    void keysAreWhereTheRouterSays() {
        try (Jedis j = fixture.jedis()) {
            for (int i = 0; i < 300; i++) j.set("placed:" + i, "x");
        }
        for (int s = 0; s < 3; s++) {
            try (Jedis direct = fixture.direct(s)) {
                Set<String> held = direct.keys("placed:*");
                for (String key : held) assertThat(serverOf(key)).as(key).isEqualTo(s);
            }
        }
    }
}
