package io.shardgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HashTagTest {
    private final HashTag braces = HashTag.of("{}");

    @ParameterizedTest(name = "{0} hashes {1}")
    @CsvSource(delimiter = '|', value = {
            "user{42}.profile | 42",
            "{42}tail         | 42",            // tag at the start
            "head{42}         | 42",            // tag at the end
            "{a}{b}           | a",             // first tag wins
            "a{}b{c}          | a{}b{c}",       // empty first tag: whole key (the later tag is not looked for)
            "a{b              | a{b",           // opening without closing
            "a}b{c            | a}b{c",         // closing before opening, none after
            "a}b{c}           | c",             // closing before opening, then a real tag
            "x{a{b}c}         | a{b",           // first opening, first closing after it
            "plain            | plain",
            "{                | {",
            "{}               | {}",
            "}{               | }{"})
    void hashesWhatNutcrackerHashes(String key, String hashed) {
        assertThat(hashedPart(key)).isEqualTo(hashed);
    }

    @Test
    void sameCharacterForBothEnds() {
        HashTag dollars = HashTag.of("$$");
        byte[] key = bytes("a$tag$b");
        long span = dollars.span(key, 0, key.length);
        assertThat(new String(key, HashTag.start(span), HashTag.length(span), StandardCharsets.ISO_8859_1))
                .isEqualTo("tag");
    }

    @Test
    void onlyLooksInsideTheGivenRange() {
        byte[] key = bytes("{x}ab{c}d{e}");
        // the range "ab{c}d" at offset 3: the tag before it must not count
        long span = braces.span(key, 3, 6);
        assertThat(HashTag.start(span)).isEqualTo(6);
        assertThat(HashTag.length(span)).isEqualTo(1);
        // the range "ab{c" has no closing inside it, even though the array has one later
        span = braces.span(key, 3, 4);
        assertThat(HashTag.start(span)).isEqualTo(3);
        assertThat(HashTag.length(span)).isEqualTo(4);
    }

    @Test
    void rejectsAnythingButTwoCharacters() {
        assertThatThrownBy(() -> HashTag.of("{")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HashTag.of("{}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HashTag.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HashTag.of("{}")).hasToString("{}");
    }

    /** The hashed part via the array path and via a direct buffer at an offset; both must agree. */
    private String hashedPart(String key) {
        byte[] bytes = bytes(key);
        long span = braces.span(bytes, 0, bytes.length);
        String fromArray = new String(bytes, HashTag.start(span), HashTag.length(span), StandardCharsets.ISO_8859_1);

        ByteBuf buf = Unpooled.directBuffer().writeBytes(bytes("junk")).writeBytes(bytes).writeBytes(bytes("{z}"));
        try {
            long bufSpan = braces.span(buf, 4, bytes.length);
            String fromBuf = buf.toString(HashTag.start(bufSpan), HashTag.length(bufSpan), StandardCharsets.ISO_8859_1);
            assertThat(fromBuf).as("ByteBuf path for " + key).isEqualTo(fromArray);
        } finally {
            buf.release();
        }
        return fromArray;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
