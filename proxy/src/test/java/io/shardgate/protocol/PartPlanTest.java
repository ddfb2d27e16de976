package io.shardgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartPlanTest {
    private static PartPlan plan(int serverCount, int... serverOfKey) {
        PartPlan plan = PartPlan.start(serverOfKey.length, serverCount);
        for (int server : serverOfKey) plan.add(server);
        return plan;
    }

    @Test
    void partsAreNumberedInOrderOfTheirServersFirstKey() {
        PartPlan plan = plan(8, 5, 2, 5, 7, 2);
        assertThat(plan.parts()).isEqualTo(3);
        assertThat(plan.partOfKey()).containsExactly(0, 1, 0, 2, 1);
        assertThat(plan.servers()).containsExactly(5, 2, 7);
    }

    @Test
    void eachStartForgetsThePreviousRequestAndItsCopiesStayTheirs() {
        PartPlan first = plan(4, 3, 1, 3);
        int[] partOfKey = first.partOfKey();
        int[] servers = first.servers();
        PartPlan second = plan(4, 1, 1);
        assertThat(second.parts()).isEqualTo(1);
        assertThat(second.partOfKey()).containsExactly(0, 0);
        assertThat(second.servers()).containsExactly(1);
        assertThat(partOfKey).containsExactly(0, 1, 0);
        assertThat(servers).containsExactly(3, 1);
        // a request that stopped half-way (a key with no live server) leaves nothing behind either
        PartPlan.start(3, 4).add(2);
        assertThat(plan(4, 0, 2).servers()).containsExactly(0, 2);
    }

    @Test
    void growsForMoreKeysAndServersAndHandsOutThrowAwayArraysForHugeRequests() {
        int[] many = new int[PartPlan.MAX_KEPT_KEYS + 1];
        for (int k = 0; k < many.length; k++) many[k] = k % 300;
        PartPlan huge = plan(300, many);
        assertThat(huge.parts()).isEqualTo(300);
        assertThat(huge.partOfKey()).hasSize(many.length).endsWith(many[many.length - 1]);
        assertThat(PartPlan.start(1, 1)).isNotSameAs(huge);
        int[] some = new int[1000];
        for (int k = 0; k < some.length; k++) some[k] = 999 - k;
        PartPlan grown = plan(1000, some);
        assertThat(grown.parts()).isEqualTo(1000);
        assertThat(grown.servers()).startsWith(999, 998).endsWith(0);
        assertThat(PartPlan.start(1, 1)).isSameAs(grown);
    }
}
