package io.shardgate.routing;

import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.config.ServerConfig;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.NutcrackerServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The judge of compatibility: real nutcracker 0.5.0 in front of four real memcached servers stores keys, each
 * memcached is then asked directly which keys it holds, and {@link PoolRouter} must name the same server for every
 * key. One nutcracker process serves one pool per configuration (each pool on its own port, keys prefixed per pool),
 * so the whole matrix costs one start-up; the memcached processes are shared and flushed between checks.
 */
class NutcrackerPlacementIT {
    private static final int[] WEIGHTS = {1, 1, 2, 3};
    private static final String[] NAMES = {"alpha", "beta", "gamma", "delta"};
    private static final int KEYS_PER_POOL = 2000;

    private static final List<MemcachedServer> backends = new ArrayList<>();

    @BeforeAll
    static void startBackends() {
        for (int port : distinctFreePorts(WEIGHTS.length)) {
            backends.add(MemcachedServer.onPort(port));
        }
    }

    @AfterAll
    static void stopBackends() {
        backends.forEach(MemcachedServer::close);
    }

    @BeforeEach
    void flushBackends() throws IOException {
        flushAll(backends);
    }

    record Pool(String name, HashKind hash, DistributionKind distribution, boolean named, String hashTag) {
        List<ServerConfig> servers(List<MemcachedServer> backends) {
            List<ServerConfig> servers = new ArrayList<>();
            for (int i = 0; i < backends.size(); i++) {
                servers.add(new ServerConfig("127.0.0.1", backends.get(i).port(), WEIGHTS[i], named ? NAMES[i] : null));
            }
            return servers;
        }

        PoolRouter router(List<MemcachedServer> backends) {
            return new PoolRouter(hash, distribution, hashTag, servers(backends));
        }

        String yaml(int listenPort, List<MemcachedServer> backends, String extra) {
            StringBuilder yaml = new StringBuilder()
                    .append(name).append(":\n")
                    .append("  listen: 127.0.0.1:").append(listenPort).append('\n')
                    .append("  hash: ").append(hash.configName()).append('\n')
                    .append("  distribution: ").append(distribution.configName()).append('\n')
                    .append(extra);
            if (hashTag != null) yaml.append("  hash_tag: \"").append(hashTag).append("\"\n");
            yaml.append("  servers:\n");
            for (ServerConfig s : servers(backends)) {
                yaml.append("   - ").append(s.host()).append(':').append(s.port()).append(':').append(s.weight());
                if (s.name() != null) yaml.append(' ').append(s.name());
                yaml.append('\n');
            }
            return yaml.toString();
        }
    }

    @Test
    void everyHashAndDistributionPlacesKeysLikeNutcracker() throws IOException {
        List<Pool> pools = new ArrayList<>();
        for (HashKind hash : HashKind.values()) {
            for (DistributionKind distribution : List.of(DistributionKind.KETAMA, DistributionKind.MODULA)) {
                for (int variant = 0; variant < 4; variant++) {
                    boolean named = (variant & 1) != 0;
                    String tag = (variant & 2) != 0 ? "{}" : null;
                    pools.add(new Pool("p" + pools.size(), hash, distribution, named, tag));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        int checked = runPools(pools, "  auto_eject_hosts: false\n", problems);
        assertThat(problems).as("keys placed differently from nutcracker").isEmpty();
        assertThat(checked).isEqualTo(pools.size() * KEYS_PER_POOL);
    }

    @Test
    void ketamaLeavesPort11211OutOfTheServerName() throws IOException {
        // A busy port is a setup error, not a reason to skip: this is the one placement rule tied to a port.
        assertThat(FreePorts.isFree(ServerConfig.MEMCACHED_DEFAULT_PORT))
                .as("port 11211 must be free for this test (stop a local memcached, or the demo, first)").isTrue();
        // Swap backend 1 for a memcached on 11211, which nutcracker names "127.0.0.1" on the continuum.
        try (MemcachedServer on11211 = MemcachedServer.onPort(ServerConfig.MEMCACHED_DEFAULT_PORT)) {
            List<MemcachedServer> mixed = new ArrayList<>(backends);
            mixed.set(1, on11211);
            flushAll(mixed);
            List<String> problems = new ArrayList<>();
            Pool pool = new Pool("p11211", HashKind.FNV1A_64, DistributionKind.KETAMA, false, null);
            runPools(List.of(pool), "", problems, mixed);
            assertThat(problems).isEmpty();
        }
    }

    /**
     * nutcracker with auto_eject_hosts and a failure limit of one: after one backend dies and the first request to
     * it fails, the pool is rebuilt over the live servers, and fresh keys must land where our router puts them with
     * that server ejected.
     */
    @Test
    void placementAfterAutoEjectionMatchesNutcracker() throws IOException {
        List<Pool> pools = List.of(
                new Pool("e0", HashKind.FNV1A_64, DistributionKind.KETAMA, false, null),
                new Pool("e1", HashKind.MD5, DistributionKind.KETAMA, true, null),
                new Pool("e2", HashKind.MURMUR, DistributionKind.MODULA, false, null),
                new Pool("e3", HashKind.CRC16, DistributionKind.MODULA, true, "{}"));
        String extra = "  auto_eject_hosts: true\n  server_failure_limit: 1\n  server_retry_timeout: 600000\n";
        int victim = 2;
        List<Integer> ports = distinctFreePorts(pools.size());
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < pools.size(); i++) yaml.append(pools.get(i).yaml(ports.get(i), backends, extra));
        List<String> problems = new ArrayList<>();
        try (NutcrackerServer nutcracker = startNutcracker(yaml.toString(), ports)) {
            backends.get(victim).kill();
            for (int i = 0; i < pools.size(); i++) {
                Pool pool = pools.get(i);
                PoolRouter router = pool.router(backends);
                awaitEjection(ports.get(i), router, victim, pool);
                router.eject(victim);
                assertThat(router.liveCount()).isEqualTo(3);
                checkPool(pool, router, ports.get(i), backends, problems, victim);
            }
        } finally {
            backends.get(victim).start();
        }
        assertThat(problems).as("keys placed differently from nutcracker after ejection").isEmpty();
    }

    /** Sends keys that the full pool routes to {@code victim} until one is stored elsewhere: the server is out. */
    private static void awaitEjection(int port, PoolRouter full, int victim, Pool pool) throws IOException {
        Random random = new Random(99);
        List<String> replies = new ArrayList<>();
        RawMemcacheClient client = new RawMemcacheClient(port);
        try {
            for (int attempt = 0; attempt < 200; attempt++) {
                String key = "probe" + attempt + "." + random.nextInt(1_000_000);
                byte[] bytes = RawMemcacheClient.bytes(key);
                if (full.serverFor(bytes, 0, bytes.length) != victim) continue;
                String reply = client.set(key);
                replies.add(reply);
                if ("STORED".equals(reply)) return;
                if (reply == null) { // nutcracker closed the client after the failure: reconnect
                    client.close();
                    client = new RawMemcacheClient(port);
                }
            }
        } finally {
            client.close();
        }
        throw new AssertionError(pool + ": nutcracker never ejected server " + victim + "; replies " + replies);
    }

    private int runPools(List<Pool> pools, String extra, List<String> problems) throws IOException {
        return runPools(pools, extra, problems, backends);
    }

    private int runPools(List<Pool> pools, String extra, List<String> problems, List<MemcachedServer> servers)
            throws IOException {
        List<Integer> ports = distinctFreePorts(pools.size());
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < pools.size(); i++) yaml.append(pools.get(i).yaml(ports.get(i), servers, extra));
        int checked = 0;
        try (NutcrackerServer ignored = startNutcracker(yaml.toString(), ports)) {
            for (int i = 0; i < pools.size(); i++) {
                Pool pool = pools.get(i);
                checked += checkPool(pool, pool.router(servers), ports.get(i), servers, problems, -1);
                flushAll(servers);
            }
        }
        return checked;
    }

    /** Writes the pool's keys through nutcracker, finds each key's holder, compares with the router. */
    private static int checkPool(Pool pool, PoolRouter router, int port, List<MemcachedServer> servers,
                                 List<String> problems, int deadServer) throws IOException {
        List<String> keys = PlacementKeys.generate(pool.name() + ".", KEYS_PER_POOL, pool.hashTag() != null,
                new Random(pool.name().hashCode()));
        try (RawMemcacheClient client = new RawMemcacheClient(port)) {
            List<String> failures = client.setAll(keys);
            if (!failures.isEmpty()) {
                problems.add(pool + ": " + failures.size() + " sets failed, e.g. " + failures.get(0));
                return 0;
            }
        }
        boolean[][] held = new boolean[servers.size()][];
        for (int s = 0; s < servers.size(); s++) {
            if (s == deadServer) {
                held[s] = new boolean[keys.size()];
                continue;
            }
            try (RawMemcacheClient direct = new RawMemcacheClient(servers.get(s).port())) {
                held[s] = direct.holds(keys);
            }
        }
        int wrong = 0;
        String example = null;
        int[] perServer = new int[servers.size()];
        for (int k = 0; k < keys.size(); k++) {
            byte[] key = RawMemcacheClient.bytes(keys.get(k));
            int ours = router.serverFor(key, 0, key.length);
            List<Integer> holders = new ArrayList<>();
            for (int s = 0; s < servers.size(); s++) if (held[s][k]) holders.add(s);
            if (holders.size() == 1) perServer[holders.get(0)]++;
            if (!holders.equals(List.of(ours))) {
                wrong++;
                if (example == null) example = "key '" + keys.get(k) + "' on " + holders + ", router says " + ours;
            }
        }
        if (wrong > 0) {
            problems.add(pool + ": " + wrong + "/" + keys.size() + " keys differ (nutcracker put "
                    + java.util.Arrays.toString(perServer) + " per server), e.g. " + example);
        }
        return keys.size();
    }

    private static NutcrackerServer startNutcracker(String yaml, List<Integer> ports) {
        NutcrackerServer nutcracker = NutcrackerServer.start(yaml, ports.get(0));
        return nutcracker; // nutcracker binds every pool's listener before serving any, so the first port suffices
    }

    private static void flushAll(List<MemcachedServer> servers) throws IOException {
        for (MemcachedServer server : servers) {
            try (RawMemcacheClient client = new RawMemcacheClient(server.port())) {
                client.flushAll();
            }
        }
    }

    private static List<Integer> distinctFreePorts(int count) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < count) {
            int port = FreePorts.next();
            if (port != ServerConfig.MEMCACHED_DEFAULT_PORT) ports.add(port);
        }
        return new ArrayList<>(ports);
    }
}
