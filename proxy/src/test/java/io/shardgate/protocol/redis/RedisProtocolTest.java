package io.shardgate.protocol.redis;

import io.shardgate.protocol.ClientRequest;
import static io.shardgate.protocol.redis.RespHarness.resp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.protocol.MergedReply;
import io.shardgate.protocol.ProxyProtocol;
import io.shardgate.testsupport.FakeClientContext;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dispatch against a fake client context: what goes to which server, and how split replies merge or fail. */
class RedisProtocolTest {
    private static final PoolConfig POOL = PoolConfig.withDefaults("p", ListenAddress.tcp("127.0.0.1", 0),
            List.of(new ServerConfig("127.0.0.1", 1, 1, null), new ServerConfig("127.0.0.1", 2, 1, null)));

    /** For each reply that was a buffer: one buffer or a composite (and its components), and its capacity. */
    private List<String> shapes() {
        return client.replies.stream().filter(r -> r.components() > 0)
                .map(r -> r.composite() ? "composite of " + r.capacity() + " in " + r.components()
                        : "buffer of " + r.capacity())
                .toList();
    }

    private final RedisProtocol protocol = new RedisProtocol(POOL, RedisLimits.defaults());
    private final EmbeddedChannel decoder = new EmbeddedChannel(protocol.newRequestDecoder());
    /** Keys starting with 'a' go to server 0, the rest to server 1; "dead" has no live server. */
    private final FakeClientContext client = new FakeClientContext(2,
            key -> key.equals("dead") ? -1 : key.startsWith("a") ? 0 : 1, RespHarness::text);

    @AfterEach
    void close() {
        decoder.finishAndReleaseAll();
    }

    private void request(String bytes) {
        decoder.writeInbound(buf(bytes));
        Object msg;
        while ((msg = decoder.readInbound()) != null) protocol.serve((ClientRequest) msg, client);
    }

    private static ByteBuf buf(String s) {
        return FakeClientContext.buf(s);
    }

    @Test
    void singleKeyIsForwardedAsSent() {
        request(resp("GET", "bkey"));
        assertThat(client.sent).singleElement().satisfies(s -> {
            assertThat(s.server()).isEqualTo(1);
            assertThat(s.request()).isEqualTo(RespHarness.esc(resp("GET", "bkey")));
        });
        client.answer(0, "$1\r\nv\r\n");
        assertThat(client.texts()).containsExactly("$1\\r\\nv\\r\\n");
    }

    @Test
    void everyForwardedCommandIsCountedUnderItsName() {
        request(resp("GET", "bkey") + resp("mget", "a1", "b1") + resp("set", "a", "1"));
        List<String> names = protocol.commandNames();
        assertThat(client.counted).extracting(names::get).containsExactly("get", "mget", "set");
        assertThat(names).doesNotHaveDuplicates().contains("hgetall", "zadd", "eval");
        client.sent.forEach(s -> s.waiter().onFailure("test over"));
    }

    @Test
    void mgetSplitsOnePartPerServerAndMergesInKeyOrder() {
        request(resp("mget", "a1", "b1", "a2", "a3", "b2"));
        assertThat(client.sent).extracting(FakeClientContext.Sent::server).containsExactly(0, 1);
        assertThat(client.sent.get(0).request()).isEqualTo(RespHarness.esc(resp("mget", "a1", "a2", "a3")));
        assertThat(client.sent.get(1).request()).isEqualTo(RespHarness.esc(resp("mget", "b1", "b2")));
        client.answer(1, "*2\r\n$2\r\nB1\r\n$-1\r\n");
        assertThat(client.texts()).isEmpty();
        client.answer(0, "*3\r\n$2\r\nA1\r\n$2\r\nA2\r\n$-1\r\n");
        assertThat(client.texts()).containsExactly(
                RespHarness.esc("*5\r\n$2\r\nA1\r\n$2\r\nB1\r\n$2\r\nA2\r\n$-1\r\n$-1\r\n"));
        assertThat(shapes()).containsExactly("buffer of 38");
        assertThat(client.fragments).as("the split counted as two fragments, as a memcached get is").containsExactly(2);
    }

    @Test
    void keysOnOneServerGoAsSentAndAreNotCountedAsFragments() {
        request(resp("mget", "a1", "a2") + resp("del", "b1", "b2", "b3"));
        assertThat(client.sent).extracting(FakeClientContext.Sent::request)
                .containsExactly(RespHarness.esc(resp("mget", "a1", "a2")), RespHarness.esc(resp("del", "b1", "b2", "b3")));
        assertThat(client.fragments).isEmpty();
    }

    @Test
    void anMgetReplyUpToTheCopyLimitIsOneBufferOfExactlyItsSizeAndALargerOneAComposite() {
        // "*2\r\n", "$5\r\nsmall\r\n" and "$<5 digits>\r\n<value>\r\n"
        String atLimit = "v".repeat(MergedReply.COPY_LIMIT - 4 - 11 - 10);
        String expectedAtLimit = "*2\r\n$" + atLimit.length() + "\r\n" + atLimit + "\r\n$5\r\nsmall\r\n";
        assertThat(expectedAtLimit).hasSize(MergedReply.COPY_LIMIT);
        String big = "x".repeat(100_000);
        request(resp("mget", "a1", "b1") + resp("mget", "b1", "a1") + resp("mget", "a1", "a2", "b1", "b2", "a3"));
        client.answer(0, "*1\r\n$" + atLimit.length() + "\r\n" + atLimit + "\r\n");
        client.answer(1, "*1\r\n$5\r\nsmall\r\n");
        client.answer(2, "*1\r\n$5\r\nsmall\r\n");
        client.answer(3, "*1\r\n$" + (atLimit.length() + 1) + "\r\n" + atLimit + "w\r\n");
        client.answer(4, "*3\r\n$-1\r\n$100000\r\n" + big + "\r\n$1\r\n3\r\n"); // values both sides of the limit
        client.answer(5, "*2\r\n$2\r\nb1\r\n$-1\r\n");
        String overLimit = "*2\r\n$5\r\nsmall\r\n$" + (atLimit.length() + 1) + "\r\n" + atLimit + "w\r\n";
        String mixed = "*5\r\n$-1\r\n$100000\r\n" + big + "\r\n$2\r\nb1\r\n$-1\r\n$1\r\n3\r\n";
        assertThat(client.texts()).containsExactly(RespHarness.esc(expectedAtLimit), RespHarness.esc(overLimit),
                RespHarness.esc(mixed));
        assertThat(shapes()).containsExactly("buffer of " + MergedReply.COPY_LIMIT,
                "composite of " + overLimit.length() + " in 3", "composite of " + mixed.length() + " in 4");
    }

    @Test
    void msetAndCounts() {
        request(resp("MSET", "a", "1", "b", "2", "ax", "3") + resp("del", "a", "b", "c") + resp("mset", "b", "1", "c", "2"));
        assertThat(client.sent.get(0).request()).isEqualTo(RespHarness.esc(resp("MSET", "a", "1", "ax", "3")));
        assertThat(client.sent.get(1).request()).isEqualTo(RespHarness.esc(resp("MSET", "b", "2")));
        assertThat(client.sent.get(4).request()).isEqualTo(RespHarness.esc(resp("mset", "b", "1", "c", "2")));
        client.answer(0, "+OK\r\n");
        client.answer(1, "+OK\r\n");
        client.answer(2, ":1\r\n");
        client.answer(3, ":2\r\n");
        client.answer(4, "+OK\r\n");
        assertThat(client.texts()).containsExactly("+OK\\r\\n", ":3\\r\\n", "+OK\\r\\n");
    }

    @Test
    void aFailedOrErrorPartAnswersForTheWhole() {
        request(resp("mget", "a", "b") + resp("del", "a", "b") + resp("exists", "a", "b"));
        client.sent.get(0).waiter().onFailure("Connection refused");
        client.answer(1, "*1\r\n$1\r\nx\r\n");
        client.answer(2, ":1\r\n");
        client.answer(3, "-ERR boom\r\n");
        client.answer(4, "*1\r\n:1\r\n"); // not what EXISTS answers
        client.answer(5, ":1\r\n");
        assertThat(client.texts()).containsExactly("failed: Connection refused", "-ERR boom\\r\\n",
                "-ERR unexpected reply from a server to a split 'exists'\\r\\n");
    }

    @Test
    void noLiveServer() {
        request(resp("get", "dead") + resp("mget", "a", "dead") + resp("rename", "dead", "a"));
        assertThat(client.sent).isEmpty();
        assertThat(client.texts()).containsExactly("failed: No live servers in pool", "failed: No live servers in pool",
                "failed: No live servers in pool");
        assertThat(protocol.failureReply(PooledByteBufAllocator.DEFAULT, "No live servers in pool"))
                .satisfies(b -> {
                    assertThat(RespHarness.text(b)).isEqualTo("-ERR No live servers in pool\\r\\n");
                    b.release();
                });
    }

    @Test
    void togetherGoesWholeOrIsRefused() {
        request(resp("rename", "a1", "a2") + resp("rename", "a1", "b1") + resp("eval", "s", "2", "b", "bb", "a"));
        assertThat(client.sent).extracting(FakeClientContext.Sent::server).containsExactly(0, 1);
        assertThat(client.texts()).containsExactly(
                "-ERR keys of 'rename' are on different servers; keep them together with a hash tag\\r\\n");
        client.answer(0, "+OK\r\n");
        client.answer(1, ":1\r\n");
    }

    @Test
    void quitAndProtocolErrorsClose() {
        request(resp("quit"));
        assertThat(client.texts()).containsExactly("+OK\\r\\n");
        assertThat(client.closing).isTrue();
    }

    @Test
    void handshakeAuthenticatesAndSelects() {
        PoolConfig pool = new PoolConfig("p", ListenAddress.tcp("127.0.0.1", 0), POOL.hash(), null, POOL.distribution(),
                -1, 512, 0, true, "pw", 12, false, false, 1, 30_000, 2, false, POOL.servers());
        List<ProxyProtocol.Handshake> steps = new RedisProtocol(pool, RedisLimits.defaults())
                .handshake(PooledByteBufAllocator.DEFAULT);
        assertThat(steps).hasSize(2);
        assertThat(RespHarness.text(steps.get(0).request())).isEqualTo(RespHarness.esc(resp("AUTH", "pw")));
        assertThat(RespHarness.text(steps.get(1).request())).isEqualTo(RespHarness.esc(resp("SELECT", "12")));
        ByteBuf ok = buf("+OK\r\n");
        ByteBuf wrong = buf("-WRONGPASS nope\r\n");
        assertThat(steps.get(0).check().apply(ok)).isNull();
        assertThat(steps.get(0).check().apply(wrong)).isEqualTo("Authentication required: AUTH to server failed: WRONGPASS nope");
        assertThat(steps.get(1).check().apply(wrong)).isEqualTo("SELECT 12 to server failed: WRONGPASS nope");
        ok.release();
        wrong.release();
        steps.forEach(s -> s.request().release());
        assertThat(protocol.handshake(PooledByteBufAllocator.DEFAULT)).isEmpty();
    }
}
