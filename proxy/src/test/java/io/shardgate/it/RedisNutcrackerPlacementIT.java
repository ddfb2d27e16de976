package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import io.shardgate.routing.PoolRouter;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.NutcrackerServer;
import io.shardgate.testsupport.RedisServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Side by side with nutcracker 0.5.0 on a redis pool: keys written through nutcracker are looked up directly on
 * each redis-server, and shardgate's router must name the same server for every one; then the same keys written
 * through shardgate into the same servers must land where nutcracker put them.
 */
class RedisNutcrackerPlacementIT {
    private static final int[] WEIGHTS = {1, 1, 2};
    private static final String[] NAMES = {"alpha", "beta", "gamma"};
    private static final List<RedisServer> redis = new ArrayList<>();

    @BeforeAll
    static void start() {
        for (int i = 0; i < WEIGHTS.length; i++) redis.add(RedisServer.start());
    }

    @AfterAll
    static void stop() {
        redis.forEach(RedisServer::close);
    }

    private static List<ServerConfig> servers(boolean named) {
        List<ServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < redis.size(); i++) {
            servers.add(new ServerConfig("127.0.0.1", redis.get(i).port(), WEIGHTS[i], named ? NAMES[i] : null));
        }
        return servers;
    }

    private static String yaml(int port, HashKind hash, DistributionKind distribution, String hashTag, boolean named) {
        StringBuilder y = new StringBuilder("side:\n  listen: 127.0.0.1:").append(port).append('\n')
                .append("  redis: true\n")
                .append("  hash: ").append(hash.configName()).append('\n')
                .append("  distribution: ").append(distribution.configName()).append('\n');
        if (hashTag != null) y.append("  hash_tag: \"").append(hashTag).append("\"\n");
        y.append("  servers:\n");
        for (ServerConfig s : servers(named)) {
            y.append("   - 127.0.0.1:").append(s.port()).append(':').append(s.weight());
            if (s.name() != null) y.append(' ').append(s.name());
            y.append('\n');
        }
        return y.toString();
    }

    private static void flush() {
        for (RedisServer r : redis) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                j.flushAll();
            }
        }
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1500; i++) keys.add("user:" + i + ":name");
        for (int i = 0; i < 300; i++) keys.add("{tag" + (i % 17) + "}:k" + i);
        keys.add("{}empty-tag");
        keys.add("no-close{brace");
        return keys;
    }

    /** Which server holds each key, asked of every redis directly. */
    private static Map<String, Integer> placement() {
        Map<String, Integer> where = new HashMap<>();
        for (int s = 0; s < redis.size(); s++) {
            try (Jedis j = new Jedis("127.0.0.1", redis.get(s).port())) {
                for (String key : j.keys("*")) {
                    assertThat(where.put(key, s)).as("key %s on two servers", key).isNull();
                }
            }
        }
        return where;
    }

    private void compare(HashKind hash, DistributionKind distribution, String hashTag, boolean named) throws Exception {
        flush();
        List<String> keys = keys();
        int port = FreePorts.next();
        try (NutcrackerServer nutcracker = NutcrackerServer.start(yaml(port, hash, distribution, hashTag, named), port);
                Jedis j = new Jedis(new HostAndPort("127.0.0.1", port),
                        DefaultJedisClientConfig.builder().socketTimeoutMillis(10_000)
                                // nutcracker does not know CLIENT SETINFO, which Jedis sends first: it would close
                                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).build())) {
            var p = j.pipelined();
            for (String key : keys) p.set(key, "n");
            p.sync();
        }
        Map<String, Integer> byNutcracker = placement();
        assertThat(byNutcracker).hasSize(keys.size());
        PoolRouter router = new PoolRouter(hash, distribution, hashTag, servers(named));
        for (String key : keys) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            assertThat(router.serverFor(k, 0, k.length)).as("server of %s", key).isEqualTo(byNutcracker.get(key));
        }

        flush();
        PoolConfig pool = new PoolConfig("side", ListenAddress.tcp("127.0.0.1", 0), hash, hashTag, distribution,
                PoolConfig.NO_TIMEOUT, 512, 0, true, null, 0, false, false, 1, 30_000, 2, false, servers(named));
        try (ShardGateServer proxy = ShardGateServer.start(new ProxyConfig(Path.of("side.yml"), List.of(pool)),
                ServerSettings.defaults().withWorkers(2));
                Jedis j = new Jedis("127.0.0.1", ((InetSocketAddress) proxy.listenAddresses().get(0)).getPort(), 10_000)) {
            String[] kv = new String[keys.size() * 2];
            for (int i = 0; i < keys.size(); i++) {
                kv[2 * i] = keys.get(i);
                kv[2 * i + 1] = "s";
            }
            assertThat(j.mset(kv)).isEqualTo("OK");
        }
        assertThat(placement()).isEqualTo(byNutcracker);
    }

    @Test
    void ketamaFnv1a64WithHashTag() throws Exception {
        compare(HashKind.FNV1A_64, DistributionKind.KETAMA, "{}", false);
    }

    @Test
    void ketamaMurmurNamedServers() throws Exception {
        compare(HashKind.MURMUR, DistributionKind.KETAMA, null, true);
    }

    @Test
    void modulaCrc32aWithHashTag() throws Exception {
        compare(HashKind.CRC32A, DistributionKind.MODULA, "{}", false);
    }
}
