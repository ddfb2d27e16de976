package io.shardgate.routing;

import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.shardgate.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolRouterTest {
    private static final List<ServerConfig> THREE = List.of(
            new ServerConfig("127.0.0.1", 22121, 1, null),
            new ServerConfig("127.0.0.1", 22122, 1, null),
            new ServerConfig("127.0.0.1", 22123, 1, null));

    @Test
    void byteBufAndArrayAgree() {
        PoolRouter router = new PoolRouter(HashKind.MURMUR, DistributionKind.KETAMA, "{}", THREE);
        ByteBuf direct = Unpooled.directBuffer();
        try {
            for (int k = 0; k < 500; k++) {
                byte[] key = ("k" + k + (k % 3 == 0 ? "{t" + k % 7 + "}" : "")).getBytes(StandardCharsets.US_ASCII);
                direct.clear().writeBytes(new byte[] {'x', 'y'}).writeBytes(key);
                assertThat(router.serverFor(direct, 2, key.length)).isEqualTo(router.serverFor(key, 0, key.length));
            }
        } finally {
            direct.release();
        }
    }

    @Test
    void ejectAndRestoreSwapSnapshotsAndReportChanges() {
        PoolRouter router = new PoolRouter(HashKind.FNV1A_64, DistributionKind.KETAMA, null, THREE);
        RoutingSnapshot before = router.snapshot();
        assertThat(router.eject(1)).isTrue();
        assertThat(router.eject(1)).as("already out").isFalse();
        assertThat(router.isEjected(1)).isTrue();
        assertThat(router.liveCount()).isEqualTo(2);
        assertThat(router.snapshot()).isNotSameAs(before);
        assertThat(before.isEjected(1)).as("old snapshots never change").isFalse();
        for (int k = 0; k < 1000; k++) {
            byte[] key = ("key" + k).getBytes(StandardCharsets.US_ASCII);
            assertThat(router.serverFor(key, 0, key.length)).isNotEqualTo(1);
        }
        assertThat(router.restore(1)).isTrue();
        assertThat(router.restore(1)).isFalse();
        assertThat(router.liveCount()).isEqualTo(3);
    }

    @Test
    void allEjectedMeansNoLiveServer() {
        for (DistributionKind distribution : DistributionKind.values()) {
            PoolRouter router = new PoolRouter(HashKind.MD5, distribution, null, THREE);
            router.eject(0);
            router.eject(1);
            router.eject(2);
            byte[] key = {'a'};
            assertThat(router.serverFor(key, 0, 1)).isEqualTo(RoutingSnapshot.NO_LIVE_SERVER);
            router.restore(2);
            assertThat(router.serverFor(key, 0, 1)).isEqualTo(2);
        }
    }

    @Test
    void oneServerPoolSkipsHashingUnlessEjected() {
        PoolRouter router = new PoolRouter(HashKind.CRC32, DistributionKind.MODULA, null, THREE.subList(0, 1));
        assertThat(router.serverFor(new byte[] {1, 2, 3}, 0, 3)).isZero();
        assertThat(router.serverFor(new byte[0], 0, 0)).isZero();
        router.eject(0);
        assertThat(router.serverFor(new byte[] {1}, 0, 1)).isEqualTo(RoutingSnapshot.NO_LIVE_SERVER);
    }

    @Test
    void emptyKeyHashesToZeroWithoutCallingTheHash() {
        // fnv1a_32 of an empty key is its offset basis, 2166136261, which modula 3 puts in slot 1; nutcracker uses 0.
        assertThat(Integer.remainderUnsigned(KeyHashes.of(HashKind.FNV1A_32).hash(new byte[0], 0, 0), 3)).isOne();
        PoolRouter router = new PoolRouter(HashKind.FNV1A_32, DistributionKind.MODULA, null, THREE);
        assertThat(router.serverFor(new byte[0], 0, 0)).isEqualTo(NutcrackerOrder.of(THREE)[0]);
    }

    @Test
    void port11211IsLeftOutOfTheKetamaName() {
        assertThat(new ServerConfig("10.0.0.1", 11211, 1, null).ketamaName()).isEqualTo("10.0.0.1");
        assertThat(new ServerConfig("10.0.0.1", 11212, 1, null).ketamaName()).isEqualTo("10.0.0.1:11212");
        assertThat(new ServerConfig("10.0.0.1", 11211, 1, "node").ketamaName()).isEqualTo("node");
    }

    @Test
    void duplicateNamesAreRefusedAsNutcrackerDoes() {
        List<ServerConfig> duplicate = List.of(new ServerConfig("a", 1, 1, "same"), new ServerConfig("b", 2, 1, "same"));
        assertThatThrownBy(() -> new PoolRouter(HashKind.MD5, DistributionKind.KETAMA, null, duplicate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("same name 'same'");
    }

    @Test
    void randomPicksOnlyLiveServersRoughlyUniformly() {
        List<ServerConfig> four = List.of(
                new ServerConfig("127.0.0.1", 1, 1, null), new ServerConfig("127.0.0.1", 2, 5, null),
                new ServerConfig("127.0.0.1", 3, 1, null), new ServerConfig("127.0.0.1", 4, 1, null));
        PoolRouter router = new PoolRouter(HashKind.FNV1A_64, DistributionKind.RANDOM, null, four);
        router.eject(2);
        int[] counts = new int[4];
        byte[] key = "same-key".getBytes(StandardCharsets.US_ASCII);
        int draws = 30_000;
        for (int i = 0; i < draws; i++) counts[router.serverFor(key, 0, key.length)]++;
        assertThat(counts[2]).isZero();
        for (int server : new int[] {0, 1, 3}) { // weights do not matter to random: 1/3 each
            assertThat(counts[server]).isBetween(draws / 3 - draws / 20, draws / 3 + draws / 20);
        }
    }
}
