package io.shardgate.protocol.memcache;

import static io.shardgate.protocol.memcache.CodecHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Meta command lines through the request decoder, each input whole, split at every byte and byte by byte. */
class MetaRequestDecoderTest {
    private static final Supplier<ChannelHandler> DECODER = () -> new McRequestDecoder(1024 * 1024);

    @Test
    void eachMetaCommandIsFramedWithItsKey() {
        assertThat(everySplit(DECODER, "mg k v t c\r\nmd k2 I T30\r\nma n D5 MD N0 J10 v\r\nme dbg\r\nmg  spaced   v\n"))
                .containsExactly(
                        "MG [k] mg k v t c\\r\\n",
                        "MD [k2] md k2 I T30\\r\\n",
                        "MA [n] ma n D5 MD N0 J10 v\\r\\n",
                        "ME [dbg] me dbg\\r\\n",
                        "MG [spaced] mg  spaced   v\\n");
    }

    @Test
    void msCarriesItsDataBlockWhichMayHoldAnything() {
        assertThat(everySplit(DECODER, "ms k 7 T0 F5\r\n\r\nEND\r\n\r\nms e 0\r\n\r\nmg k v\r\n")).containsExactly(
                "MS [k] data=7 ms k 7 T0 F5\\r\\n\\r\\nEND\\r\\n\\r\\n",
                "MS [e] data=0 ms e 0\\r\\n\\r\\n",
                "MG [k] mg k v\\r\\n");
    }

    @Test
    void mnIsAnsweredHereWhateverFollowsIt() {
        assertThat(everySplit(DECODER, "mn\r\nmn foo bar\r\n")).containsExactly("reply MN\\r\\n", "reply MN\\r\\n");
    }

    @Test
    void quietFlagIsFoundWhereverItIsAndWhatEachCommandDrops() {
        assertThat(everySplit(DECODER, "mg k q v\r\nms k 1 T0 q\r\nx\r\nmd k qq\r\nma k q\r\nma k N0 q\r\nme k q\r\n"))
                .containsExactly(
                        "MG [k] DROP_MISS q=q mg k q v\\r\\n",
                        "MS [k] DROP_HD q=q data=1 ms k 1 T0 q\\r\\nx\\r\\n",
                        "MD [k] DROP_HD q=qq md k qq\\r\\n",
                        "MA [k] DROP_HD_OR_VA q=q ma k q\\r\\n",
                        "MA [k] BRACKETED q=q ma k N0 q\\r\\n",
                        "ME [k] me k q\\r\\n"); // me takes no flags: memcached ignores them
    }

    @Test
    void base64KeysAreDecodedForHashing() {
        assertThat(everySplit(DECODER, "mg Zm9v b v\r\nms AAEC 1 b\r\nx\r\nme Zm9vYg== b\r\nme Zm9v x b\r\n"))
                .containsExactly(
                        "MG [Zm9v] b64=666f6f mg Zm9v b v\\r\\n",
                        "MS [AAEC] b64=000102 data=1 ms AAEC 1 b\\r\\nx\\r\\n",
                        "ME [Zm9vYg==] b64=666f6f62 me Zm9vYg== b\\r\\n",
                        "ME [Zm9v] me Zm9v x b\\r\\n"); // me decodes only when b is the token right after the key
    }

    @Test
    void aBinaryKeyWithANewlineThatMayComeBackRawIsNotedForTheReplyFramer() {
        // YQpi is "a\nb": mg's k and me write an item's key raw when memcached didn't mark it binary (mg N made it)
        assertThat(everySplit(DECODER, "mg YQpi b k v\r\nmg YQpi q k b\r\nme YQpi b\r\n"
                + "mg YQpi b v\r\nmg YWI= b k\r\nme YQpi\r\nmd YQpi b k\r\nma YQpi b k\r\nms YQpi 1 b k\r\nx\r\n"))
                .containsExactly(
                        "MG [YQpi] b64=610a62 raw-key-in-reply mg YQpi b k v\\r\\n",
                        "MG [YQpi] b64=610a62 raw-key-in-reply DROP_MISS q=q mg YQpi q k b\\r\\n",
                        "ME [YQpi] b64=610a62 raw-key-in-reply me YQpi b\\r\\n",
                        "MG [YQpi] b64=610a62 mg YQpi b v\\r\\n", // no k: no key in the reply
                        "MG [YWI=] b64=6162 mg YWI= b k\\r\\n", // no newline: the line ends where it seems to
                        "ME [YQpi] me YQpi\\r\\n", // not base64
                        // md, ma and ms write k in base64 for b whatever the item
                        "MD [YQpi] b64=610a62 md YQpi b k\\r\\n",
                        "MA [YQpi] b64=610a62 ma YQpi b k\\r\\n",
                        "MS [YQpi] b64=610a62 data=1 ms YQpi 1 b k\\r\\nx\\r\\n");
    }

    @Test
    void base64DecodingIsMemcachedsLenientOne() {
        // bytes outside the alphabet are skipped; decoding stops after the first padded group
        assertThat(Base64Key.decode(buf("Zm.9v"), 0, 5)).containsExactly('f', 'o', 'o');
        assertThat(Base64Key.decode(buf("Zg==Zm9v"), 0, 8)).containsExactly('f');
        assertThat(Base64Key.decode(buf("Zm8="), 0, 4)).containsExactly('f', 'o');
        assertThat(Base64Key.decode(buf("Zm9"), 0, 3)).isNull();
        assertThat(Base64Key.decode(buf("Z==="), 0, 4)).isNull();
        assertThat(Base64Key.decode(buf("...."), 0, 4)).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // what memcached 1.6.18 answers, checked against it
        "mg|ERROR",
        "md|ERROR",
        "ma|ERROR",
        "mx k|ERROR",
        "me|CLIENT_ERROR bad command line format",
        "mg k x|CLIENT_ERROR invalid flag",
        "mg k v v|CLIENT_ERROR duplicate flag",
        "mg k q qq|CLIENT_ERROR duplicate flag",
        "mg k \u00e9|CLIENT_ERROR duplicate flag",
        "md k x|CLIENT_ERROR invalid or duplicate flag",
        "ma k D-1|CLIENT_ERROR invalid or duplicate flag",
        "ma k Dx|CLIENT_ERROR invalid or duplicate flag",
        "mg k T|CLIENT_ERROR bad token in command line format",
        "mg k Tx|CLIENT_ERROR bad token in command line format",
        "mg k T5x|CLIENT_ERROR bad token in command line format",
        "mg k C-1|CLIENT_ERROR bad token in command line format",
        "mg k C18446744073709551616|CLIENT_ERROR bad token in command line format",
        "mg k F-1|CLIENT_ERROR bad command line format",
        "mg k Fx|CLIENT_ERROR bad command line format",
        "mg k Mxx|CLIENT_ERROR incorrect length for M token",
        "mg k J-1|CLIENT_ERROR invalid numeric initial value",
        "mg k D-1|CLIENT_ERROR invalid numeric delta value",
        "mg k b|CLIENT_ERROR error decoding key",
        "mg k b T|CLIENT_ERROR bad token in command line format",
        "mg k T b|CLIENT_ERROR error decoding key",
        "mg k b x|CLIENT_ERROR invalid flag",
        "md k b|CLIENT_ERROR invalid or duplicate flag",
        "me k b|CLIENT_ERROR bad command line format",
        "ma k MX|CLIENT_ERROR invalid mode for ma M token",
        "mg k O12345678901234567890123456789012|CLIENT_ERROR opaque token too long",
        "md k O12345678901234567890123456789012|CLIENT_ERROR opaque token too long",
        "ma k O12345678901234567890123456789012|CLIENT_ERROR opaque token too long",
        "mg k v k c f h l s t u O1 P L T0 N0 R0 C1 D1 J1|CLIENT_ERROR options flags are too long",
        "md k k O1 P L T0 I C1 Mx F1 J1 D1 N1 R1 t s c f v|CLIENT_ERROR options flags too long",
    })
    void badMetaLinesGetMemcachedsAnswerAndTheStreamGoesOn(String line, String reply) {
        assertThat(everySplit(DECODER, line + "\r\nmg ok\r\n"))
                .containsExactly("reply " + reply + "\\r\\n", "MG [ok] mg ok\\r\\n");
    }

    @Test
    void aLineOfNineteenTokensIsNotTooLong() {
        assertThat(everySplit(DECODER, "md k k O1 P L T0 I C1 Mx F1 J1 D1 N1 R1 t s c f\r\n"))
                .containsExactly("MD [k] md k k O1 P L T0 I C1 Mx F1 J1 D1 N1 R1 t s c f\\r\\n");
    }

    @Test
    void numericTokensParseAsMemcachedsStrtolDoes() {
        assertThat(everySplit(DECODER,
                "mg k T+5\r\nmg k T-5\r\nmg k C-18446744073709551615\r\nmg k T99999999999\r\nmg k T\t5\r\nmg k F-0\r\n"
                        + "mg k O1234567890123456789012345678901\r\nmd k M#\r\n"))
                .hasSize(8).allMatch(s -> s.startsWith("MG") || s.startsWith("MD"));
    }

    @Test
    void keysAreCheckedAsSentAndControlCharactersRefused() {
        String key250 = "k".repeat(250);
        assertThat(everySplit(DECODER, "mg " + key250 + " v\r\nmg " + "k".repeat(251) + " v\r\nmg a\u0001b v\r\nmg ok\r\n"))
                .containsExactly(
                        "MG [" + key250 + "] mg " + key250 + " v\\r\\n",
                        "reply CLIENT_ERROR bad command line format\\r\\n",
                        "reply CLIENT_ERROR bad command line format\\r\\n",
                        "MG [ok] mg ok\\r\\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ms k 3 x|CLIENT_ERROR invalid flag",
        "ms k 3 T0 T1|CLIENT_ERROR duplicate flag",
        "ms k 3 b|CLIENT_ERROR error decoding key",
        "ms k 3 Fx|CLIENT_ERROR bad command line format",
        "ms k 3 MX|CLIENT_ERROR invalid mode for ms M token",
        "ms k 3 O12345678901234567890123456789012|CLIENT_ERROR opaque token too long",
        "ms k 3 O12345678901234567890123456789012 MX|CLIENT_ERROR invalid mode for ms M token",
        "ms k 3 k O1 P L T0 I C1 Mx F1 J1 D1 N1 R1 t s c f|CLIENT_ERROR options flags too long",
        "ms k 3 Cx|CLIENT_ERROR bad token in command line format",
    })
    void badMsFlagsSkipTheDataBlock(String line, String reply) {
        assertThat(everySplit(DECODER, line + "\r\nmg \r\nmg ok\r\n"))
                .containsExactly("reply " + reply + "\\r\\n", "MG [ok] mg ok\\r\\n");
    }

    @Test
    void msKeyTooLongSkipsTheDataBlockToo() {
        // memcached would read the data block as a command; the proxy never does (as for text storage commands)
        assertThat(everySplit(DECODER, "ms " + "k".repeat(251) + " 6 T0\r\nmn foo\r\nmg ok\r\n"))
                .containsExactly("reply CLIENT_ERROR bad command line format\\r\\n", "MG [ok] mg ok\\r\\n");
    }

    @Test
    void msValueOverTheLimitIsRefusedAndSkipped() {
        Supplier<ChannelHandler> small = () -> new McRequestDecoder(8);
        assertThat(everySplit(small, "ms k 9\r\n123456789\r\nms k 8\r\n12345678\r\n")).containsExactly(
                "reply SERVER_ERROR object too large for cache\\r\\n",
                "MS [k] data=8 ms k 8\\r\\n12345678\\r\\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ms|ERROR",
        "ms k|CLIENT_ERROR bad command line format",
        "ms k x|CLIENT_ERROR bad command line format",
        "ms k -1|CLIENT_ERROR bad command line format",
        "ms k 2147483646|CLIENT_ERROR bad command line format",
        "ms k 4294967297|CLIENT_ERROR bad command line format",
        "ms " + "k" + " 3x T0|CLIENT_ERROR bad command line format",
    })
    void msWithoutAUsableLengthClosesTheClient(String line, String reply) {
        assertThat(everySplit(DECODER, line + "\r\nabc\r\nmg ok\r\n"))
                .containsExactly("reply " + reply + "\\r\\n +close");
    }

    @Test
    void msDataBlockWithoutItsTerminatorClosesTheClient() {
        assertThat(everySplit(DECODER, "ms k 3\r\nabcd\r\nmg k\r\n"))
                .containsExactly("reply CLIENT_ERROR bad data chunk\\r\\n +close");
    }

    @Test
    void textAndMetaMixInAnyOrder() {
        assertThat(everySplit(DECODER, "set a 0 0 1\r\nx\r\nms b 1 q\r\ny\r\nget a b\r\nmg b v\r\nmn\r\ndelete a\r\n"))
                .containsExactly(
                        "SET [a] set a 0 0 1\\r\\nx\\r\\n",
                        "MS [b] DROP_HD q=q data=1 ms b 1 q\\r\\ny\\r\\n",
                        "GET [a,b] get a b\\r\\n",
                        "MG [b] mg b v\\r\\n",
                        "reply MN\\r\\n",
                        "DELETE [a] delete a\\r\\n");
    }

    @Test
    void aMetaLineThatNeverEndsIsCutOff() {
        assertThat(CodecHarness.decode(DECODER, "mg k " + "P".repeat(3000)))
                .containsExactly("reply CLIENT_ERROR line too long\\r\\n +close");
    }

    private static io.netty.buffer.ByteBuf buf(String s) {
        return io.netty.buffer.Unpooled.wrappedBuffer(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
