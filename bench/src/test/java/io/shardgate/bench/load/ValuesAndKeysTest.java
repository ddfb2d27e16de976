package io.shardgate.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValuesAndKeysTest {
    @Test
    void valuesAreDerivedFromKeyAndVersionAndDiffer() {
        ValueSpec spec = new ValueSpec(64, 3);
        assertThat(spec.valueOf(17)).isEqualTo(new ValueSpec(64, 3).valueOf(17));
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < 200; k++) seen.add(new String(spec.valueOf(k), StandardCharsets.US_ASCII));
        assertThat(seen).hasSize(200);
        assertThat(spec.valueOf(17)).isNotEqualTo(new ValueSpec(64, 4).valueOf(17));
        for (byte b : spec.valueOf(17)) assertThat(b).isBetween((byte) '!', (byte) '~');
    }

    @Test
    void tinyValuesAreThePrefixOfTheHeader() {
        assertThat(new String(new ValueSpec(5, 1).valueOf(0x1f), StandardCharsets.US_ASCII)).isEqualTo("00000");
        assertThat(new String(new ValueSpec(13, 1).valueOf(0x1f), StandardCharsets.US_ASCII)).isEqualTo("0000001f0001:");
    }

    @Test
    void matchesChecksAnyPieceOfAValue() {
        ValueSpec spec = new ValueSpec(4096, 1);
        byte[] value = spec.valueOf(99);
        byte[] header = new byte[ValueSpec.HEADER_LENGTH];
        spec.header(99, header);
        ByteBuf buf = Unpooled.wrappedBuffer(value);
        for (int[] piece : new int[][] {{0, 4096}, {0, 5}, {10, 10}, {13, 100}, {4000, 96}}) {
            assertThat(spec.matches(99, header, piece[0], buf, piece[0], piece[1])).isTrue();
        }
        assertThat(spec.matches(99, header, 4000, buf, 4000, 97)).as("beyond the value").isFalse();
        byte[] wrong = value.clone();
        wrong[3000] ^= 0x20;
        ByteBuf wrongBuf = Unpooled.directBuffer(4096).writeBytes(wrong);
        try {
            assertThat(spec.matches(99, header, 0, wrongBuf, 0, 4096)).as("one byte off in a large piece").isFalse();
            assertThat(spec.matches(99, header, 2000, wrongBuf, 2000, 1000)).isTrue();
            assertThat(spec.matches(99, header, 2990, wrongBuf, 2990, 20)).as("small piece").isFalse();
            assertThat(spec.matches(98, header, 0, Unpooled.wrappedBuffer(spec.valueOf(98)), 0, 4096))
                    .as("another key's value against this key's header").isFalse();
        } finally {
            wrongBuf.release();
        }
        assertThat(spec.matches(99, header, 1, buf, 0, 100)).as("shifted").isFalse();
    }

    @Test
    void keysMapBackToTheirIndex() {
        KeySpace keys = new KeySpace("pre:", 1000);
        assertThat(keys.keyString(0)).isEqualTo("pre:0");
        assertThat(keys.keyString(999)).isEqualTo("pre:999");
        for (String k : new String[] {"pre:0", "pre:7", "pre:999"}) {
            ByteBuf b = Unpooled.copiedBuffer("xx" + k + "yy", StandardCharsets.US_ASCII);
            assertThat(keys.indexOf(b, 2, k.length())).isEqualTo(Integer.parseInt(k.substring(4)));
        }
        for (String k : new String[] {"pre:1000", "pre:07", "pre:", "pra:1", "pre:1a", "pre:-1", "p"}) {
            ByteBuf b = Unpooled.copiedBuffer(k, StandardCharsets.US_ASCII);
            assertThat(keys.indexOf(b, 0, k.length())).as(k).isEqualTo(-1);
        }
        assertThatThrownBy(() -> new KeySpace("a b", 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
