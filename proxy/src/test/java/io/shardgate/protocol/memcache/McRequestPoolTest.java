package io.shardgate.protocol.memcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Reused request objects carry nothing over from their previous use. */
class McRequestPoolTest {
    private final ByteBuf frame = Unpooled.EMPTY_BUFFER;

    @Test
    void aRecycledRequestIsReusedWithOnlyItsNewFields() {
        McRequest.Pool pool = new McRequest.Pool();
        McRequest multi = pool.multi(McCommand.GETS, frame, false, new int[] {4, 1, 6, 2, 9, 3}, 3, 0, 0);
        assertThat(multi.keyCount).isEqualTo(3);
        assertThat(multi.keyOffset(2)).isEqualTo(9);
        multi.recycle();
        assertThat(multi.frame).isNull();

        McRequest single = pool.single(McCommand.SET, frame, true, 4, 5, 12, 2);
        assertThat(single).isSameAs(multi);
        assertThat(single.command).isEqualTo(McCommand.SET);
        assertThat(single.noreply).isTrue();
        assertThat(single.keyCount).isEqualTo(1);
        assertThat(single.keyOffset(0)).isEqualTo(4);
        assertThat(single.keyLength(0)).isEqualTo(5);
        assertThat(single.argOffset).isEqualTo(12);
        assertThat(single.argLength).isEqualTo(2);
    }

    @Test
    void requestsInUseAreDistinctAndTheSpareListIsBounded() {
        McRequest.Pool pool = new McRequest.Pool();
        McRequest a = pool.single(McCommand.GET, frame, false, 4, 1, 0, 0);
        McRequest b = pool.single(McCommand.GET, frame, false, 4, 1, 0, 0);
        assertThat(a).isNotSameAs(b);
        java.util.List<McRequest> many = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) many.add(pool.single(McCommand.GET, frame, false, 4, 1, 0, 0));
        many.forEach(McRequest::recycle);
        java.util.Set<McRequest> reused = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < 100; i++) reused.add(pool.single(McCommand.GET, frame, false, 4, 1, 0, 0));
        reused.retainAll(many);
        assertThat(reused).hasSize(16); // the rest were left to the garbage collector
    }
}
