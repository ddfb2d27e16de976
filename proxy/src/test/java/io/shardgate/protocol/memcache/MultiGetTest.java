package io.shardgate.protocol.memcache;

import io.shardgate.protocol.ClientRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.config.FailurePolicy;
import io.shardgate.protocol.MergedReply;
import io.shardgate.testsupport.FakeClientContext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Multi-key retrievals against a fake client context: how they split per server and how the replies merge. */
class MultiGetTest {
    /** Keys starting with 'a', 'b', 'c' live on servers 0, 1, 2; "dead" has no live server. */
    private final FakeClientContext client = new FakeClientContext(3,
            key -> key.equals("dead") ? -1 : key.charAt(0) - 'a', frame -> frame.toString(StandardCharsets.ISO_8859_1));
    private EmbeddedChannel decoder;

    @AfterEach
    void close() {
        if (decoder != null) decoder.finishAndReleaseAll();
    }

    private void request(FailurePolicy policy, String bytes) {
        MemcacheProtocol protocol = new MemcacheProtocol(1024 * 1024, policy);
        if (decoder == null) decoder = new EmbeddedChannel(protocol.newRequestDecoder());
        decoder.writeInbound(ascii(bytes));
        Object msg;
        while ((msg = decoder.readInbound()) != null) protocol.serve((ClientRequest) msg, client);
    }

    private void request(String bytes) {
        request(FailurePolicy.NUTCRACKER, bytes);
    }

    private static ByteBuf ascii(String s) {
        return FakeClientContext.buf(s);
    }

    private static String entry(String key, String value) {
        return "VALUE " + key + " 0 " + value.length() + "\r\n" + value + "\r\n";
    }

    @Test
    void onePartPerServerAndTheEntriesMergedInTheClientsKeyOrder() {
        request("get a1 b1 a2 c1 b2 a3\r\n");
        assertThat(client.sent).extracting(FakeClientContext.Sent::server).containsExactly(0, 1, 2);
        assertThat(client.sent).extracting(FakeClientContext.Sent::request)
                .containsExactly("get a1 a2 a3\r\n", "get b1 b2\r\n", "get c1\r\n");
        client.answer(2, entry("c1", "C1") + "END\r\n");
        client.answer(0, entry("a1", "A1") + entry("a3", "A3") + "END\r\n"); // a2 missed
        assertThat(client.replies).isEmpty();
        client.answer(1, entry("b1", "B1") + entry("b2", "B2") + "END\r\n");
        assertThat(client.texts()).containsExactly(
                entry("a1", "A1") + entry("b1", "B1") + entry("c1", "C1") + entry("b2", "B2") + entry("a3", "A3")
                        + "END\r\n");
        assertThat(client.fragments).containsExactly(3);
    }

    @Test
    void keysOnOneServerGoAsSent() {
        request("get  a1 a2\r\nget a1\r\n");
        assertThat(client.sent).extracting(FakeClientContext.Sent::request).containsExactly("get  a1 a2\r\n", "get a1\r\n");
        client.answer(0, entry("a2", "x") + "END\r\n");
        client.answer(1, "END\r\n");
        assertThat(client.texts()).containsExactly(entry("a2", "x") + "END\r\n", "END\r\n");
        assertThat(client.fragments).isEmpty();
    }

    @Test
    void gatsKeepsItsExptimeAndCasInEveryPart() {
        request("gats 300 b1 a1 b2\r\n");
        assertThat(client.sent).extracting(FakeClientContext.Sent::request)
                .containsExactly("gats 300 b1 b2\r\n", "gats 300 a1\r\n");
        client.answer(0, "VALUE b1 7 2 11\r\nB1\r\nVALUE b2 0 0 12\r\n\r\nEND\r\n");
        client.answer(1, "VALUE a1 3 2 10\r\nA1\r\nEND\r\n");
        assertThat(client.texts()).containsExactly(
                "VALUE b1 7 2 11\r\nB1\r\nVALUE a1 3 2 10\r\nA1\r\nVALUE b2 0 0 12\r\n\r\nEND\r\n");
    }

    @Test
    void everyKeyMissing() {
        request("get a1 b1 c1\r\n");
        for (int i = 0; i < 3; i++) client.answer(i, "END\r\n");
        assertThat(client.texts()).containsExactly("END\r\n");
    }

    @Test
    void aKeyAskedTwiceIsAnsweredTwiceAndValuesMayLookLikeReplyLines() {
        request("get a1 b1 a1 a2 b1\r\n");
        assertThat(client.sent).extracting(FakeClientContext.Sent::request)
                .containsExactly("get a1 a1 a2\r\n", "get b1 b1\r\n");
        String tricky = "x\r\nEND\r\nVALUE a2 0 1\r\n";
        client.answer(0, entry("a1", tricky) + entry("a1", tricky) + entry("a2", "2") + "END\r\n");
        client.answer(1, entry("b1", "b") + entry("b1", "b") + "END\r\n");
        assertThat(client.texts()).containsExactly(entry("a1", tricky) + entry("b1", "b") + entry("a1", tricky)
                + entry("a2", "2") + entry("b1", "b") + "END\r\n");
    }

    @Test
    void anEntryForAKeyNotAskedIsDropped() {
        request("get a1 b1 a2\r\n");
        client.answer(0, entry("a1", "1") + entry("zz", "?") + "END\r\n");
        client.answer(1, entry("b1", "b") + "END\r\n");
        assertThat(client.texts()).containsExactly(entry("a1", "1") + entry("b1", "b") + "END\r\n");
    }

    @Test
    void anErrorLineAfterSomeEntriesEndsThatPartsEntries() {
        request("get a1 b1 a2\r\n");
        client.answer(0, entry("a1", "1") + "SERVER_ERROR out of memory writing get response\r\n");
        client.answer(1, "VALUE b1 1 1 7\r\nb\r\nEND\r\n");
        assertThat(client.texts()).containsExactly(entry("a1", "1") + "VALUE b1 1 1 7\r\nb\r\nEND\r\n");
    }

    @Test
    void aFailedPartOrAnErrorLineAnswersForTheWhole() {
        request("get a1 b1\r\nget a2 b2\r\n");
        client.answer(0, entry("a1", "1") + "END\r\n");
        client.sent.get(1).waiter().onFailure("Connection refused");
        client.answer(2, "SERVER_ERROR out of memory\r\n");
        client.answer(3, entry("b2", "2") + "END\r\n");
        assertThat(client.texts()).containsExactly("failed: Connection refused", "SERVER_ERROR out of memory\r\n");
    }

    @Test
    void withPartialMultigetAFailedPartsKeysAreMisses() {
        request(new FailurePolicy(FailurePolicy.EjectPolicy.REHASH, false, false, true), "get a1 b1 c1\r\n");
        client.answer(0, entry("a1", "1") + "END\r\n");
        client.sent.get(1).waiter().onFailure("Connection refused");
        client.answer(2, "SERVER_ERROR busy\r\n");
        assertThat(client.texts()).containsExactly(entry("a1", "1") + "END\r\n");
    }

    @Test
    void withEjectPolicyMissOnlyAnEjectedServersKeysAreMisses() {
        FailurePolicy policy = new FailurePolicy(FailurePolicy.EjectPolicy.MISS, false, false, false);
        request(policy, "get a1 b1\r\nget a2 b2\r\nget b3\r\nget b4\r\n");
        client.answer(0, entry("a1", "1") + "END\r\n");
        client.sent.get(1).waiter().onFailure(FailureReasons.SERVER_EJECTED);
        client.answer(2, entry("a2", "2") + "END\r\n");
        client.sent.get(3).waiter().onFailure("Connection refused");
        client.sent.get(4).waiter().onFailure(FailureReasons.SERVER_EJECTED);
        client.sent.get(5).waiter().onFailure("Connection refused");
        assertThat(client.texts()).containsExactly(entry("a1", "1") + "END\r\n", "failed: Connection refused",
                "END\r\n", "failed: Connection refused");
    }

    @Test
    void partialMultigetLeavesASingleKeysFailureAsItIs() {
        request(new FailurePolicy(FailurePolicy.EjectPolicy.REHASH, false, false, true), "get a1\r\nget a1 a2\r\n");
        client.sent.get(0).waiter().onFailure("Connection refused");
        client.sent.get(1).waiter().onFailure("Connection refused");
        assertThat(client.texts()).containsExactly("failed: Connection refused", "END\r\n");
    }

    @Test
    void noLiveServerForOneKeyFailsTheRequest() {
        request("get a1 dead\r\n");
        assertThat(client.sent).isEmpty();
        assertThat(client.texts()).containsExactly("failed: No live servers in pool");
    }

    @Test
    void aMergedReplyUpToTheCopyLimitIsOneBufferOfExactlyItsSizeAndALargerOneAComposite() {
        String b1 = entry("b1", "small");
        int fixed = entry("a1", "").length() + b1.length() + "END\r\n".length();
        // the value's length has 5 digits around the limit
        String atLimit = "v".repeat(MergedReply.COPY_LIMIT - fixed - 4);
        String overLimit = atLimit + "w";
        String expectedAtLimit = entry("a1", atLimit) + b1 + "END\r\n";
        assertThat(expectedAtLimit).hasSize(MergedReply.COPY_LIMIT);
        request("get a1 b1\r\nget b1 a1\r\nget a1 b1 c1\r\n");
        client.answer(0, entry("a1", atLimit) + "END\r\n");
        client.answer(1, b1 + "END\r\n");
        client.answer(2, b1 + "END\r\n");
        client.answer(3, entry("a1", overLimit) + "END\r\n");
        client.answer(4, entry("a1", "x".repeat(100_000)) + "END\r\n"); // values both sides of the limit
        client.answer(5, b1 + "END\r\n");
        client.answer(6, "END\r\n");
        assertThat(client.replies).extracting(FakeClientContext.Reply::text).containsExactly(expectedAtLimit,
                b1 + entry("a1", overLimit) + "END\r\n", entry("a1", "x".repeat(100_000)) + b1 + "END\r\n");
        assertThat(client.replies).extracting(FakeClientContext.Reply::composite).containsExactly(false, true, true);
        assertThat(client.replies.get(0).capacity()).isEqualTo(MergedReply.COPY_LIMIT);
    }

    @Test
    void smallMergedRepliesAreCopiedWithNothingToSpare() {
        request("get a1 b1 c1 a2\r\nget a1 b1\r\n");
        client.answer(0, entry("a1", "1") + entry("a2", "22") + "END\r\n");
        client.answer(1, entry("b1", "b") + "END\r\n");
        client.answer(2, "END\r\n");
        client.answer(3, "END\r\n");
        client.answer(4, "END\r\n");
        String merged = entry("a1", "1") + entry("b1", "b") + entry("a2", "22") + "END\r\n";
        assertThat(client.replies).containsExactly(new FakeClientContext.Reply(merged, false, merged.length(), 1),
                new FakeClientContext.Reply("END\r\n", false, 5, 1));
    }
}
