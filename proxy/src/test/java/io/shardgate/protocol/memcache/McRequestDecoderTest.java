package io.shardgate.protocol.memcache;

import static io.shardgate.protocol.memcache.CodecHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class McRequestDecoderTest {
    private static final Supplier<ChannelHandler> DECODER = () -> new McRequestDecoder(1024 * 1024);

    @Test
    void storageCommandsCarryTheirDataBlock() {
        assertThat(everySplit(DECODER, "set k 1 2 3\r\nabc\r\nadd k2 0 0 0 noreply\r\n\r\n")).containsExactly(
                "SET [k] set k 1 2 3\\r\\nabc\\r\\n",
                "ADD noreply [k2] add k2 0 0 0 noreply\\r\\n\\r\\n");
    }

    @Test
    void valueMayContainAnything() {
        assertThat(everySplit(DECODER, "set k 0 0 7\r\n\r\nEND\r\n\r\nget k\r\n")).containsExactly(
                "SET [k] set k 0 0 7\\r\\n\\r\\nEND\\r\\n\\r\\n",
                "GET [k] get k\\r\\n");
    }

    @Test
    void casNeedsItsUniqueAndAcceptsNoreply() {
        assertThat(everySplit(DECODER, "cas k 0 0 1 18446744073709551615 noreply\r\nx\r\ncas k 0 0 1 18446744073709551616\r\nx\r\n"))
                .containsExactly(
                        "CAS noreply [k] cas k 0 0 1 18446744073709551615 noreply\\r\\nx\\r\\n",
                        "reply CLIENT_ERROR bad command line format\\r\\n");
    }

    @Test
    void retrievalsListEveryKeyInOrder() {
        assertThat(everySplit(DECODER, "get a b a\r\ngets x\r\ngat 10 p q\r\ngats -1 r\r\n")).containsExactly(
                "GET [a,b,a] get a b a\\r\\n",
                "GETS [x] gets x\\r\\n",
                "GAT [p,q] gat 10 p q\\r\\n",
                "GATS [r] gats -1 r\\r\\n");
    }

    @Test
    void singleKeyCommands() {
        assertThat(everySplit(DECODER,
                "incr n 5\r\ndecr n 18446744073709551615 noreply\r\ndelete d\r\ndelete d 0\r\ndelete d noreply\r\n"
                        + "delete d 0 noreply\r\ntouch t 100\r\ntouch t -1 noreply\r\n"))
                .containsExactly(
                        "INCR [n] incr n 5\\r\\n",
                        "DECR noreply [n] decr n 18446744073709551615 noreply\\r\\n",
                        "DELETE [d] delete d\\r\\n",
                        "DELETE [d] delete d 0\\r\\n",
                        "DELETE noreply [d] delete d noreply\\r\\n",
                        "DELETE noreply [d] delete d 0 noreply\\r\\n",
                        "TOUCH [t] touch t 100\\r\\n",
                        "TOUCH noreply [t] touch t -1 noreply\\r\\n");
    }

    @Test
    void bareNewlinesAndRepeatedSpacesAreAccepted() {
        assertThat(everySplit(DECODER, "get  a   b\nversion\r\n")).containsExactly(
                "GET [a,b] get  a   b\\n",
                "VERSION [] version\\r\\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bogus|reply ERROR\\r\\n",
        "get|reply ERROR\\r\\n",
        "incr k x|reply CLIENT_ERROR invalid numeric delta argument\\r\\n",
        "incr k -1|reply CLIENT_ERROR invalid numeric delta argument\\r\\n",
        "incr k 18446744073709551616|reply CLIENT_ERROR invalid numeric delta argument\\r\\n",
        "delete k 5|reply CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\\r\\n",
        "touch k x|reply CLIENT_ERROR invalid exptime argument\\r\\n",
        "gat x k|reply CLIENT_ERROR invalid exptime argument\\r\\n",
        "shutdown|reply CLIENT_ERROR shutdown is not supported by shardgate\\r\\n",
        "lru_crawler metadump all|reply CLIENT_ERROR lru_crawler is not supported by shardgate\\r\\n",
        "flush_all abc|reply CLIENT_ERROR invalid exptime argument\\r\\n",
        "flush_all 0 noreply extra|reply ERROR\\r\\n",
        "stats noreply|reply ERROR\\r\\n",
        "verbosity|reply ERROR\\r\\n",
        "verbosity foo bar my|reply ERROR\\r\\n",
        "verbosity abc|reply CLIENT_ERROR bad command line format\\r\\n",
        "verbosity 1|reply OK\\r\\n",
        "verbosity 1 2|reply OK\\r\\n",
    })
    void badLinesAreAnsweredAndTheStreamGoesOn(String line, String reply) {
        assertThat(everySplit(DECODER, line + "\r\nget ok\r\n")).containsExactly(reply, "GET [ok] get ok\\r\\n");
    }

    @Test
    void versionAndQuitIgnoreExtraTokensAsMemcached16Does() {
        assertThat(everySplit(DECODER, "version foo bar\r\nversion noreply\r\nquit now\r\n")).containsExactly(
                "VERSION [] version foo bar\\r\\n",
                "VERSION [] version noreply\\r\\n",
                "QUIT [] quit now\\r\\n");
    }

    @Test
    void adminCommandsComeOutWithTheirArguments() {
        assertThat(everySplit(DECODER, "flush_all\r\nflush_all 10\r\nflush_all noreply\r\nflush_all -1 noreply\r\n"
                + "stats\r\nstats settings\r\nstats detail dump\r\n")).containsExactly(
                "FLUSH_ALL [] flush_all\\r\\n",
                "FLUSH_ALL [] flush_all 10\\r\\n",
                "FLUSH_ALL noreply [] flush_all noreply\\r\\n",
                "FLUSH_ALL noreply [] flush_all -1 noreply\\r\\n",
                "STATS [] stats\\r\\n",
                "STATS [] stats settings\\r\\n",
                "STATS [] stats detail dump\\r\\n");
    }

    @Test
    void verbosityWithNoreplyAndBadInputWithNoreplyAreSilent() {
        // memcached answers none of these: the last token is noreply
        assertThat(everySplit(DECODER, "verbosity noreply\r\nverbosity 0 noreply\r\nflush_all x noreply\r\nget k\r\n"))
                .containsExactly("GET [k] get k\\r\\n");
    }

    @Test
    void keysAreValidated() {
        String longKey = "k".repeat(251);
        assertThat(everySplit(DECODER, "get " + longKey + "\r\nget a\u0001b\r\nget " + "k".repeat(250) + "\r\n"))
                .containsExactly(
                        "reply CLIENT_ERROR bad command line format\\r\\n",
                        "reply CLIENT_ERROR bad command line format\\r\\n",
                        "GET [" + "k".repeat(250) + "] get " + "k".repeat(250) + "\\r\\n");
    }

    @Test
    void badStorageLineSkipsItsDataSoDataIsNeverACommand() {
        assertThat(everySplit(DECODER, "set " + "k".repeat(251) + " 0 0 10\r\ndelete xyz\r\nget k\r\n"))
                .containsExactly("reply CLIENT_ERROR bad command line format\\r\\n", "GET [k] get k\\r\\n");
        assertThat(everySplit(DECODER, "set k 4294967296 0 1\r\nx\r\nset k 0 x 1\r\nx\r\nget k\r\n")).containsExactly(
                "reply CLIENT_ERROR bad command line format\\r\\n",
                "reply CLIENT_ERROR bad command line format\\r\\n",
                "GET [k] get k\\r\\n");
    }

    @Test
    void valueOverTheLimitIsRefusedAndSkipped() {
        Supplier<ChannelHandler> small = () -> new McRequestDecoder(8);
        assertThat(everySplit(small, "set k 0 0 9\r\n123456789\r\nset k 0 0 8\r\n12345678\r\n")).containsExactly(
                "reply SERVER_ERROR object too large for cache\\r\\n",
                "SET [k] set k 0 0 8\\r\\n12345678\\r\\n");
    }

    @Test
    void dataBlockWithoutItsTerminatorClosesTheClient() {
        assertThat(everySplit(DECODER, "set k 0 0 3\r\nabcd\r\nget k\r\n"))
                .containsExactly("reply CLIENT_ERROR bad data chunk\\r\\n +close");
    }

    @Test
    void storageWithoutUsableLengthClosesTheClient() {
        assertThat(everySplit(DECODER, "set k 0 0 -1\r\nget k\r\n"))
                .containsExactly("reply CLIENT_ERROR bad command line format\\r\\n +close");
        assertThat(everySplit(DECODER, "set k 0 0\r\nget k\r\n"))
                .containsExactly("reply CLIENT_ERROR bad command line format\\r\\n +close");
    }

    @Test
    void aLineThatNeverEndsIsCutOff() {
        List<String> out = CodecHarness.decode(DECODER, "set " + "x".repeat(3000));
        assertThat(out).containsExactly("reply CLIENT_ERROR line too long\\r\\n +close");
        // a retrieval may be long (many keys), up to its own bound
        String manyKeys = "get" + " key".repeat(1000) + "\r\n";
        assertThat(CodecHarness.decode(DECODER, manyKeys)).hasSize(1).first().asString().startsWith("GET [key,key");
        assertThat(CodecHarness.decode(DECODER, "get " + "k ".repeat(600_000))).containsExactly("reply CLIENT_ERROR line too long\\r\\n +close");
    }

    @Test
    void emptyLineIsAnError() {
        assertThat(everySplit(DECODER, "\r\nget k\r\n")).containsExactly("reply ERROR\\r\\n", "GET [k] get k\\r\\n");
    }
}
