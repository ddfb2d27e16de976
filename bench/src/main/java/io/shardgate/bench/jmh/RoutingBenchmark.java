package io.shardgate.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import io.shardgate.routing.KeyHash;
import io.shardgate.routing.KeyHashes;
import io.shardgate.routing.PoolRouter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of routing one key as the proxy does it: a key inside a pooled direct buffer (as Netty reads requests),
 * hashed and looked up in the pool's table. 1024 distinct memcached-style keys (~20-30 bytes) are cycled so that
 * branch prediction cannot learn one key. Run e.g.
 * {@code java -cp bench/target/shardgate-bench.jar org.openjdk.jmh.Main RoutingBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {
    private static final int KEY_COUNT = 1024;

    /** The keys, back to back in one pooled direct buffer, with their offsets and lengths. */
    @State(Scope.Thread)
    public static class Keys {
        ByteBuf buf;
        int[] offsets = new int[KEY_COUNT];
        int[] lengths = new int[KEY_COUNT];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            buf = PooledByteBufAllocator.DEFAULT.directBuffer(KEY_COUNT * 40);
            for (int i = 0; i < KEY_COUNT; i++) {
                byte[] key = ("user:" + (i * 7919L % 1_000_003) + ":session:" + (i % 13)).getBytes(StandardCharsets.US_ASCII);
                offsets[i] = buf.writerIndex();
                lengths[i] = key.length;
                buf.writeBytes(key);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buf.release();
        }

        int nextKey() {
            int i = next;
            next = (i + 1) & (KEY_COUNT - 1);
            return i;
        }
    }

    /** Eight backends with weights 1..4, as a mid-sized production pool. */
    static List<ServerConfig> servers() {
        List<ServerConfig> servers = new ArrayList<>();
        for (int i = 0; i < 8; i++) servers.add(new ServerConfig("10.0.0." + (i + 1), 11211 + i, 1 + i % 4, null));
        return servers;
    }

    @State(Scope.Benchmark)
    public static class Routed {
        @Param({"one_at_a_time", "md5", "crc16", "crc32", "crc32a", "fnv1_64", "fnv1a_64", "fnv1_32", "fnv1a_32",
                "hsieh", "murmur", "jenkins"})
        public String hash;

        @Param({"ketama", "modula"})
        public String distribution;

        PoolRouter router;

        @Setup(Level.Trial)
        public void setUp() {
            router = new PoolRouter(HashKind.byConfigName(hash).orElseThrow(),
                    DistributionKind.byConfigName(distribution).orElseThrow(), null, servers());
        }
    }

    @State(Scope.Benchmark)
    public static class Hashed {
        @Param({"one_at_a_time", "md5", "crc16", "crc32", "crc32a", "fnv1_64", "fnv1a_64", "fnv1_32", "fnv1a_32",
                "hsieh", "murmur", "jenkins"})
        public String hash;

        KeyHash keyHash;

        @Setup(Level.Trial)
        public void setUp() {
            keyHash = KeyHashes.byConfigName(hash);
        }
    }

    @State(Scope.Benchmark)
    public static class RandomPool {
        PoolRouter router = new PoolRouter(HashKind.FNV1A_64, DistributionKind.RANDOM, null, servers());
    }

    /** Hash plus table lookup: what PoolRouter.serverFor costs per request. */
    @Benchmark
    public int route(Routed pool, Keys keys) {
        int i = keys.nextKey();
        return pool.router.serverFor(keys.buf, keys.offsets[i], keys.lengths[i]);
    }

    /** The hash alone over the direct buffer (includes the copy into the per-thread scratch array). */
    @Benchmark
    public int hashOnly(Hashed hashed, Keys keys) {
        int i = keys.nextKey();
        return hashed.keyHash.hash(keys.buf, keys.offsets[i], keys.lengths[i]);
    }

    /** Random ignores the key: a ThreadLocalRandom draw. */
    @Benchmark
    public int routeRandom(RandomPool pool, Keys keys) {
        int i = keys.nextKey();
        return pool.router.serverFor(keys.buf, keys.offsets[i], keys.lengths[i]);
    }
}
