package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.testsupport.ProxyFixture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Java memcached client (spymemcached, text protocol) through the proxy. */
class SpymemcachedClientIT {
    private static ProxyFixture fixture;
    private static MemcachedClient client;

    @BeforeAll
    static void start() throws Exception {
        fixture = ProxyFixture.memcache(3);
        client = newClient();
    }

    private static MemcachedClient newClient() throws java.io.IOException {
        return new MemcachedClient(new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.TEXT)
                .setOpTimeout(5000)
                .build(), List.of(new InetSocketAddress("127.0.0.1", fixture.port())));
    }

    @AfterAll
    static void stop() {
        if (client != null) client.shutdown(5, TimeUnit.SECONDS);
        if (fixture != null) fixture.close();
    }

    @Test
    void everyCommandTheClientHas() throws Exception {
        assertThat(client.set("spy:a", 0, "alpha").get()).isTrue();
        assertThat(client.get("spy:a")).isEqualTo("alpha");
        assertThat(client.add("spy:a", 0, "x").get()).isFalse();
        assertThat(client.add("spy:b", 0, "beta").get()).isTrue();
        assertThat(client.replace("spy:b", 0, "beta2").get()).isTrue();
        assertThat(client.replace("spy:none", 0, "x").get()).isFalse();
        assertThat(client.append(0, "spy:a", "-end").get()).isTrue();
        assertThat(client.prepend(0, "spy:a", "start-").get()).isTrue();
        assertThat(client.get("spy:a")).isEqualTo("start-alpha-end");

        CASValue<Object> cas = client.gets("spy:b");
        assertThat(cas.getValue()).isEqualTo("beta2");
        assertThat(client.cas("spy:b", cas.getCas(), "beta3")).isEqualTo(CASResponse.OK);
        assertThat(client.cas("spy:b", cas.getCas(), "beta4")).isEqualTo(CASResponse.EXISTS);
        assertThat(client.get("spy:b")).isEqualTo("beta3");

        assertThat(client.incr("spy:n", 1, 10)).isEqualTo(10); // created with the default
        assertThat(client.incr("spy:n", 5)).isEqualTo(15);
        assertThat(client.decr("spy:n", 3)).isEqualTo(12);

        assertThat(client.touch("spy:a", 100).get()).isTrue();
        assertThat(client.delete("spy:a").get()).isTrue();
        assertThat(client.get("spy:a")).isNull();
        assertThat(client.getVersions().values()).allSatisfy(v -> assertThat(v).startsWith("shardgate-"));
    }

    @Test
    void bulkGetAcrossServers() {
        Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String key = "spy:bulk:" + i;
            if (i % 4 != 0) {
                client.set(key, 0, "value-" + i);
                expected.put(key, "value-" + i);
            }
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 300; i++) keys.add("spy:bulk:" + i);
        assertThat(client.getBulk(keys)).isEqualTo(expected);
    }

    @Test
    void twoHundredConcurrentClientsFiveHundredOperationsEachEveryValueChecked() throws Exception {
        int clients = 200;
        int ops = 500;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            List<MemcachedClient> connections = new ArrayList<>();
            for (int c = 0; c < clients; c++) connections.add(newClient());
            try {
                for (int c = 0; c < clients; c++) {
                    int id = c;
                    MemcachedClient mc = connections.get(c);
                    results.add(pool.submit(() -> {
                        int checked = 0;
                        for (int i = 0; i < ops; i++) {
                            String key = "conc:" + id + ":" + (i % 50);
                            String value = id + "/" + i + "/" + "x".repeat(i % 200);
                            if (!mc.set(key, 0, value).get(10, TimeUnit.SECONDS)) throw new AssertionError("set failed " + key);
                            Object got = mc.get(key);
                            if (!value.equals(got)) throw new AssertionError(key + ": expected " + value + " got " + got);
                            checked++;
                        }
                        return checked;
                    }));
                }
                int total = 0;
                for (Future<Integer> f : results) total += f.get(120, TimeUnit.SECONDS);
                assertThat(total).isEqualTo(clients * ops);
            } finally {
                for (MemcachedClient mc : connections) mc.shutdown(1, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
