package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RedisProxyFixture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** redis_auth and redis_db against real redis-servers: the proxy's handshake on connect, and its clients' AUTH. */
class RedisAuthAndDbIT {
    @Test
    void authOnEveryServerConnectionAndRequiredFromClients() throws Exception {
        try (RedisProxyFixture f = new RedisProxyFixture(3, "s3cret", 3, "--requirepass", "s3cret")) {
            try (Jedis anonymous = f.jedis()) {
                assertThatThrownBy(() -> anonymous.get("k")).hasMessage("NOAUTH Authentication required.");
                assertThatThrownBy(anonymous::ping).hasMessage("NOAUTH Authentication required.");
                assertThatThrownBy(() -> anonymous.auth("wrong"))
                        .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(anonymous.auth("s3cret")).isEqualTo("OK");
                for (int i = 0; i < 100; i++) assertThat(anonymous.set("k" + i, "v" + i)).isEqualTo("OK");
                assertThat(anonymous.get("k7")).isEqualTo("v7");
            }
            // A real client configured with the password, and a database it sees as 0.
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password("s3cret").build();
            try (Jedis configured = new Jedis(new HostAndPort("127.0.0.1", f.port()), config)) {
                assertThat(configured.mget("k1", "k2", "k99")).containsExactly("v1", "v2", "v99");
                assertThat(configured.del("k1", "k2", "k3", "nope")).isEqualTo(3);
            }
            // The keys are in database 3 of the servers, not in database 0.
            long total = 0;
            for (int s = 0; s < 3; s++) {
                try (Jedis direct = f.direct(s)) {
                    direct.auth("s3cret");
                    assertThat(direct.dbSize()).isZero();
                    direct.select(3);
                    total += direct.dbSize();
                }
            }
            assertThat(total).isEqualTo(97);
        }
    }

    @Test
    void aWrongServerPasswordFailsRequestsWithTheReason() throws Exception {
        try (RedisProxyFixture f = new RedisProxyFixture(1, "not-the-one", 0, "--requirepass", "s3cret");
                RawClient c = f.client()) {
            c.send("*2\r\n$4\r\nAUTH\r\n$11\r\nnot-the-one\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
            assertThat(c.readLine()).isEqualTo("+OK\r\n");
            assertThat(c.readLine()).isEqualTo("-ERR Authentication required: AUTH to server failed: WRONGPASS invalid username-password "
                    + "pair or user is disabled.\r\n");
            c.send("*1\r\n$4\r\nPING\r\n");
            assertThat(c.readLine()).isEqualTo("+PONG\r\n"); // the client's connection stays usable
        }
    }

    @Test
    void aRefusedHandshakeBacksOffInsteadOfReconnectingForEveryRequest() throws Exception {
        try (RedisProxyFixture f = new RedisProxyFixture(1, "not-the-one", 0, "--requirepass", "s3cret");
                RawClient c = f.client();
                Jedis direct = f.direct(0)) {
            direct.auth("s3cret");
            c.send("*2\r\n$4\r\nAUTH\r\n$11\r\nnot-the-one\r\n");
            assertThat(c.readLine()).isEqualTo("+OK\r\n");
            long before = connectionsReceived(direct);
            for (int i = 0; i < 100; i++) { // one at a time: each would find the link closed by the refusal
                c.send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
                assertThat(c.readLine()).isEqualTo("-ERR Authentication required: AUTH to server failed: WRONGPASS invalid "
                        + "username-password pair or user is disabled.\r\n");
            }
            // the first GET connects; the next ones fail with the reason during the backoff (50 ms, doubling)
            assertThat(connectionsReceived(direct) - before).isBetween(1L, 10L);
        }
    }

    private static long connectionsReceived(Jedis direct) {
        return direct.info("stats").lines().filter(l -> l.startsWith("total_connections_received:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    }

    @Test
    void authWithoutRedisAuthGetsRedissOwnWordingAndTheServersRefusalPassesThrough() throws Exception {
        // twemproxy's test_nopass_on_proxy: the servers want a password the proxy was not given
        try (RedisProxyFixture f = new RedisProxyFixture(2, null, 0, "--requirepass", "s3cret"); Jedis j = f.jedis()) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThatThrownBy(() -> j.set("k", "v")).hasMessage("NOAUTH Authentication required.");
            assertThatThrownBy(() -> j.auth("anypasswd")).hasMessage("ERR Client sent AUTH, but no password is set");
        }
    }

    @Test
    void aDatabaseTheServerLacksFailsRequestsWithTheReason() throws Exception {
        try (RedisProxyFixture f = new RedisProxyFixture(1, null, 99); Jedis j = f.jedis()) {
            assertThatThrownBy(() -> j.get("k"))
                    .hasMessage("ERR SELECT 99 to server failed: ERR DB index is out of range");
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }

    @Test
    void redisDbWithoutAuth() throws Exception {
        try (RedisProxyFixture f = new RedisProxyFixture(2, null, 5); Jedis j = f.jedis()) {
            assertThat(j.set("in5", "yes")).isEqualTo("OK");
            assertThat(j.select(0)).isEqualTo("OK");
            assertThat(j.get("in5")).isEqualTo("yes");
            int found = 0;
            for (int s = 0; s < 2; s++) {
                try (Jedis direct = f.direct(s)) {
                    assertThat(direct.get("in5")).isNull();
                    direct.select(5);
                    if ("yes".equals(direct.get("in5"))) found++;
                }
            }
            assertThat(found).isEqualTo(1);
        }
    }
}
