package io.shardgate.testsupport;

import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Real memcached servers with shardgate running in this JVM in front of them, for integration tests. */
public final class ProxyFixture implements AutoCloseable {
    private final List<MemcachedServer> memcached = new ArrayList<>();
    private final ShardGateServer proxy;
    private PoolConfig poolConfig;

    private ProxyFixture(int backends, Function<List<MemcachedServer>, PoolConfig> pool, ServerSettings settings,
            String... memcachedArgs) throws InterruptedException {
        try {
            for (int i = 0; i < backends; i++) memcached.add(MemcachedServer.start(memcachedArgs));
            poolConfig = pool.apply(memcached);
            proxy = ShardGateServer.start(new ProxyConfig(Path.of("test.yml"), List.of(poolConfig)), settings);
        } catch (RuntimeException | InterruptedException e) {
            memcached.forEach(MemcachedServer::close);
            throw e;
        }
    }

    /** {@code backends} memcached servers behind one pool, served by two workers. */
    public static ProxyFixture memcache(int backends, String... memcachedArgs) throws InterruptedException {
        return new ProxyFixture(backends, servers -> TestPools.memcache("test", servers),
                ServerSettings.defaults().withWorkers(2), memcachedArgs);
    }

    public static ProxyFixture memcache(int backends, Function<List<MemcachedServer>, PoolConfig> pool)
            throws InterruptedException {
        return new ProxyFixture(backends, pool, ServerSettings.defaults().withWorkers(2));
    }

    /** As {@link #memcache(int, Function)} with the given settings (stats and admin ports, workers). */
    public static ProxyFixture memcache(int backends, Function<List<MemcachedServer>, PoolConfig> pool,
            ServerSettings settings) throws InterruptedException {
        return new ProxyFixture(backends, pool, settings);
    }

    /** The stats port's address (a free loopback port unless the settings named one). */
    public InetSocketAddress statsAddress() {
        return proxy.stats().statsAddress();
    }

    public int port() {
        return ((InetSocketAddress) proxy.listenAddresses().get(0)).getPort();
    }

    /** The pool the proxy serves, e.g. to ask a router where keys go. */
    public PoolConfig pool() {
        return poolConfig;
    }

    public List<MemcachedServer> backends() {
        return memcached;
    }

    public RawClient client() {
        return RawClient.connect(port());
    }

    public ShardGateServer proxy() {
        return proxy;
    }

    @Override
    public void close() {
        proxy.close();
        memcached.forEach(MemcachedServer::close);
    }
}
