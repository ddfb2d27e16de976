package io.shardgate.testsupport;

import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/** Real redis-servers with shardgate running in this JVM in front of them as one redis pool, for integration tests. */
public final class RedisProxyFixture implements AutoCloseable {
    private final List<RedisServer> redis = new ArrayList<>();
    private final PoolConfig pool;
    private final ShardGateServer proxy;

    /**
     * {@code backends} redis-servers started with {@code redisArgs}, behind a pool with hash_tag "{}" and the
     * given redis_auth (or null) and redis_db, served by two workers.
     */
    public RedisProxyFixture(int backends, String auth, int db, String... redisArgs) throws InterruptedException {
        try {
            for (int i = 0; i < backends; i++) redis.add(RedisServer.start(redisArgs));
            pool = pool("test", redis, "{}", auth, db);
            proxy = ShardGateServer.start(new ProxyConfig(Path.of("test.yml"), List.of(pool)),
                    ServerSettings.defaults().withWorkers(2));
        } catch (RuntimeException | InterruptedException e) {
            redis.forEach(RedisServer::close);
            throw e;
        }
    }

    /** A redis pool with nutcracker's defaults and a listener on a free loopback port. */
    public static PoolConfig pool(String name, List<? extends ExternalServer> servers, String hashTag, String auth, int db) {
        List<ServerConfig> serverConfigs = servers.stream()
                .map(s -> new ServerConfig("127.0.0.1", s.port(), 1, null))
                .toList();
        return new PoolConfig(name, ListenAddress.tcp("127.0.0.1", 0), HashKind.FNV1A_64, hashTag,
                DistributionKind.KETAMA, PoolConfig.NO_TIMEOUT, 512, 0, true, auth, db, false, false, 1, 30_000, 2,
                false, serverConfigs);
    }

    public int port() {
        return ((InetSocketAddress) proxy.listenAddresses().get(0)).getPort();
    }

    public PoolConfig pool() {
        return pool;
    }

    public List<RedisServer> backends() {
        return redis;
    }

    /** A Jedis client of the proxy. */
    public Jedis jedis() {
        return new Jedis("127.0.0.1", port(), 10_000);
    }

    /** A Jedis client straight to backend {@code i}. */
    public Jedis direct(int i) {
        return new Jedis("127.0.0.1", redis.get(i).port(), 10_000);
    }

    public RawClient client() {
        return RawClient.connect(port());
    }

    @Override
    public void close() {
        proxy.close();
        redis.forEach(RedisServer::close);
    }
}
