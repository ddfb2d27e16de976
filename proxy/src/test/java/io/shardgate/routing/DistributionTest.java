package io.shardgate.routing;

import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.shardgate.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ketama and modula sanity: weights, nutcracker's point arithmetic, ordering, and what ejection moves. */
class DistributionTest {
    private static final List<ServerConfig> SERVERS = List.of(
            new ServerConfig("10.0.0.1", 11211, 1, null),
            new ServerConfig("10.0.0.2", 11212, 1, null),
            new ServerConfig("10.0.0.3", 11213, 2, null),
            new ServerConfig("10.0.0.4", 11214, 3, null));
    private static final int KEYS = 70_000;

    @Test
    void ketamaPointsPerServerFollowNutcrackersFloatArithmetic() {
        // 160/4 * 4 live * weight/7, floored to whole hashes of four points
        assertThat(KetamaContinuum.pointsFor(1, 7, 4)).isEqualTo(88);
        assertThat(KetamaContinuum.pointsFor(2, 7, 4)).isEqualTo(180);
        assertThat(KetamaContinuum.pointsFor(3, 7, 4)).isEqualTo(272);
        assertThat(KetamaContinuum.pointsFor(1, 1, 1)).isEqualTo(160);
        assertThat(KetamaContinuum.pointsFor(1, 3, 3)).isEqualTo(160); // equal weights: 160 each, float rounding kept
        assertThat(KetamaContinuum.pointsFor(1, 10, 10)).isEqualTo(160);
        assertThat(KetamaContinuum.pointsFor(1, 1000, 1)).isEqualTo(0);
    }

    @Test
    void ketamaContinuumIsSortedAsUnsignedAndWrapsAround() {
        KetamaContinuum continuum = (KetamaContinuum) snapshot(DistributionKind.KETAMA).dispatcher();
        assertThat(continuum.size()).isEqualTo(88 + 88 + 180 + 272);
        for (int i = 1; i < continuum.size(); i++) {
            assertThat(Integer.compareUnsigned(continuum.pointValue(i - 1), continuum.pointValue(i))).isLessThanOrEqualTo(0);
        }
        int first = continuum.pointServer(0);
        int last = continuum.size() - 1;
        assertThat(continuum.dispatch(0)).isEqualTo(first);
        assertThat(continuum.dispatch(continuum.pointValue(last) + 1)).as("past the last point wraps").isEqualTo(first);
        assertThat(continuum.dispatch(0xffffffff)).isEqualTo(first);
        assertThat(continuum.dispatch(continuum.pointValue(last))).isEqualTo(continuum.pointServer(last));
        assertThat(continuum.dispatch(continuum.pointValue(5))).as("equal hash takes that point")
                .isEqualTo(continuum.pointServer(5));
    }

    @Test
    void ketamaSharesFollowWeights() {
        double[] share = shares(snapshot(DistributionKind.KETAMA));
        assertThat(share[0]).isCloseTo(1 / 7.0, within(0.04));
        assertThat(share[1]).isCloseTo(1 / 7.0, within(0.04));
        assertThat(share[2]).isCloseTo(2 / 7.0, within(0.05));
        assertThat(share[3]).isCloseTo(3 / 7.0, within(0.05));
    }

    @Test
    void modulaSharesAreExactlyTheWeights() {
        RoutingSnapshot modula = snapshot(DistributionKind.MODULA);
        assertThat(((ModulaTable) modula.dispatcher()).size()).isEqualTo(7);
        double[] share = shares(modula);
        assertThat(share[3]).isCloseTo(3 / 7.0, within(0.01));
        assertThat(share[2]).isCloseTo(2 / 7.0, within(0.01));
    }

    @Test
    void modulaSlotsFollowNutcrackersNameOrderNotConfigOrder() {
        List<ServerConfig> named = List.of(
                new ServerConfig("h", 1, 1, "gamma"),
                new ServerConfig("h", 2, 2, "bb"),
                new ServerConfig("h", 3, 3, "alpha"));
        assertThat(NutcrackerOrder.of(named)).containsExactly(1, 2, 0); // "bb" (shorter), then alpha, gamma
        RoutingSnapshot modula = RoutingSnapshot.of(KeyHashes.of(HashKind.FNV1A_64), DistributionKind.MODULA, null, named);
        // slots: bb, bb, alpha, alpha, alpha, gamma
        int[] expected = {1, 1, 2, 2, 2, 0};
        for (int slot = 0; slot < 6; slot++) {
            assertThat(modula.dispatcher().dispatch(slot)).isEqualTo(expected[slot]);
            assertThat(modula.dispatcher().dispatch(slot + 6 * 1000)).isEqualTo(expected[slot]);
        }
        assertThat(modula.dispatcher().dispatch(-1)).as("hash is unsigned: 0xffffffff % 6 = 3")
                .isEqualTo(expected[(int) (0xffffffffL % 6)]);
    }

    @Test
    void ketamaEjectionWithEqualWeightsMovesOnlyTheEjectedServersKeys() {
        List<ServerConfig> equal = SERVERS.stream()
                .map(s -> new ServerConfig(s.host(), s.port(), 1, null)).toList();
        RoutingSnapshot all = RoutingSnapshot.of(KeyHashes.of(HashKind.MURMUR), DistributionKind.KETAMA, null, equal);
        RoutingSnapshot without2 = all.withEjected(2);
        int moved = 0;
        for (int k = 0; k < KEYS; k++) {
            byte[] key = key(k);
            int before = all.serverFor(key, 0, key.length);
            int after = without2.serverFor(key, 0, key.length);
            assertThat(after).isNotEqualTo(2);
            if (before != 2) {
                assertThat(after).as("key %d stays put", k).isEqualTo(before);
            } else {
                moved++;
            }
        }
        assertThat(moved).isGreaterThan(KEYS / 6);
        RoutingSnapshot restored = without2.withRestored(2);
        for (int k = 0; k < 1000; k++) {
            byte[] key = key(k);
            assertThat(restored.serverFor(key, 0, key.length)).isEqualTo(all.serverFor(key, 0, key.length));
        }
    }

    /**
     * With unequal weights nutcracker re-proportions every live server's points on ejection (1/7 of 160*4 points
     * becomes 1/5 of 160*3), so each survivor gains points and a few keys move between survivors too.
     */
    @Test
    void ketamaEjectionWithUnequalWeightsMovesFewOtherKeys() {
        RoutingSnapshot all = snapshot(DistributionKind.KETAMA);
        RoutingSnapshot without2 = all.withEjected(2);
        int movedBetweenSurvivors = 0;
        for (int k = 0; k < KEYS; k++) {
            byte[] key = key(k);
            int before = all.serverFor(key, 0, key.length);
            if (before != 2 && without2.serverFor(key, 0, key.length) != before) movedBetweenSurvivors++;
        }
        assertThat(movedBetweenSurvivors).isPositive().isLessThan(KEYS / 20);
    }

    @Test
    void ejectionReproportionsWeightsAmongTheLive() {
        RoutingSnapshot live = snapshot(DistributionKind.KETAMA).withEjected(3);
        KetamaContinuum continuum = (KetamaContinuum) live.dispatcher();
        // weights 1,1,2 of 4 over 3 live servers: 30, 30, 60 hashes of four points
        assertThat(continuum.size()).isEqualTo(120 + 120 + 240);
        RoutingSnapshot modula = snapshot(DistributionKind.MODULA).withEjected(3).withEjected(0);
        assertThat(((ModulaTable) modula.dispatcher()).size()).isEqualTo(3);
        assertThat(shares(modula)[2]).isCloseTo(2 / 3.0, within(0.01));
    }

    private static RoutingSnapshot snapshot(DistributionKind distribution) {
        // murmur, not the default fnv1a_64: nutcracker's fnv1a_64 (32-bit, prime 0x1b3) mixes short similar keys
        // poorly, so its shares would not show the weights.
        return RoutingSnapshot.of(KeyHashes.of(HashKind.MURMUR), distribution, null, SERVERS);
    }

    private static double[] shares(RoutingSnapshot snapshot) {
        double[] share = new double[snapshot.serverCount()];
        for (int k = 0; k < KEYS; k++) {
            byte[] key = key(k);
            share[snapshot.serverFor(key, 0, key.length)] += 1.0 / KEYS;
        }
        return share;
    }

    private static byte[] key(int k) {
        return ("key:" + k).getBytes(StandardCharsets.US_ASCII);
    }
}
