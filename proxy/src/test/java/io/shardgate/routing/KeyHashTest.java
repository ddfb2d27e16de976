package io.shardgate.routing;

import io.shardgate.config.HashKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class KeyHashTest {

    /** Golden values from twemproxy's src/test_all.c (the same as libmemcached's tests/hash_results.h). */
    static Stream<Arguments> twemproxyGoldenApple() {
        return Stream.of(
                Arguments.of(HashKind.ONE_AT_A_TIME, 2297466611L),
                Arguments.of(HashKind.MD5, 3195025439L),
                Arguments.of(HashKind.CRC16, 3662830516L),
                Arguments.of(HashKind.CRC32, 10542L),
                Arguments.of(HashKind.CRC32A, 2838417488L),
                Arguments.of(HashKind.FNV1_32, 67176023L),
                Arguments.of(HashKind.FNV1A_32, 280767167L),
                Arguments.of(HashKind.FNV1_64, 473199127L),
                Arguments.of(HashKind.FNV1A_64, 1488911807L),
                Arguments.of(HashKind.HSIEH, 3738850110L),
                Arguments.of(HashKind.JENKINS, 1442444624L),
                Arguments.of(HashKind.MURMUR, 4142305122L));
    }

    @ParameterizedTest
    @MethodSource("twemproxyGoldenApple")
    void matchesTwemproxyGoldenValueForApple(HashKind kind, long expected) {
        assertEveryPath(kind, "apple", (int) expected);
    }

    /** Published reference values of the standard algorithms behind the hashes. */
    static Stream<Arguments> standardVectors() {
        return Stream.of(
                Arguments.of(HashKind.CRC32A, "123456789", 0xCBF43926),
                Arguments.of(HashKind.CRC32A, "The quick brown fox jumps over the lazy dog", 0x414FA339),
                Arguments.of(HashKind.CRC32, "123456789", (0xCBF43926 >>> 16) & 0x7fff),
                Arguments.of(HashKind.FNV1_32, "a", 0x050c5d7e),
                Arguments.of(HashKind.FNV1_32, "foobar", 0x31f0b262),
                Arguments.of(HashKind.FNV1A_32, "a", 0xe40c292c),
                Arguments.of(HashKind.FNV1A_32, "foobar", 0xbf9cf968),
                Arguments.of(HashKind.FNV1_64, "a", (int) 0xaf63bd4c8601b7beL),
                Arguments.of(HashKind.FNV1_64, "foobar", (int) 0x340d8765a4dda9c2L),
                Arguments.of(HashKind.MD5, "", 0xd98c1dd4),       // d41d8cd9..., first 4 bytes little-endian
                Arguments.of(HashKind.MD5, "abc", 0x98500190),    // 90015098...
                Arguments.of(HashKind.ONE_AT_A_TIME, "a", 0xca2e9442),
                Arguments.of(HashKind.ONE_AT_A_TIME, "The quick brown fox jumps over the lazy dog", 0x519e91f5));
    }

    @ParameterizedTest
    @MethodSource("standardVectors")
    void matchesStandardReferenceValues(HashKind kind, String input, int expected) {
        assertEveryPath(kind, input, expected);
    }

    @Test
    void crc16IsXmodemInTheLow16BitsButKeepsTheUnmaskedHighBits() {
        int crc = KeyHashes.of(HashKind.CRC16).hash(bytes("123456789"), 0, 9);
        assertThat(crc & 0xffff).isEqualTo(0x31C3); // CRC-16/XMODEM check value
        assertThat(crc >>> 16).isNotZero();         // nutcracker never masks the 32-bit register
    }

    @Test
    void fnv1a64IsThe32BitLoopWithTruncatedConstants() {
        // nutcracker's "fnv1a_64" = FNV-1a with basis 0x84222325 and prime 0x1b3 in 32 bits.
        byte[] key = bytes("apple");
        int expected = 0x84222325;
        for (byte b : key) {
            expected = (expected ^ b) * 0x1b3;
        }
        assertThat(KeyHashes.of(HashKind.FNV1A_64).hash(key, 0, key.length)).isEqualTo(expected);
    }

    @Test
    void ketamaHashMatchesTwemproxyGoldenValues() {
        byte[] key = bytes("server1-8");
        assertThat(Integer.toUnsignedLong(KetamaContinuum.ketamaHash(key, 0))).isEqualTo(3853726576L);
        assertThat(Integer.toUnsignedLong(KetamaContinuum.ketamaHash(key, 3))).isEqualTo(2667054752L);
    }

    @Test
    void md5MatchesTheJdkForEveryLengthAroundBlockBoundaries() throws Exception {
        Random random = new Random(42);
        MessageDigest jdk = MessageDigest.getInstance("MD5");
        int[] words = new int[4];
        for (int length = 0; length <= 300; length++) {
            byte[] data = new byte[length + 7];
            random.nextBytes(data);
            byte[] expected = jdk.digest(Arrays.copyOfRange(data, 3, 3 + length));
            Md5.digest(data, 3, length, words);
            for (int w = 0; w < 4; w++) {
                assertThat(words[w]).as("length %d word %d", length, w).isEqualTo(LittleEndian.u32(expected, 4 * w));
            }
        }
    }

    /** Hashes with reads wider than a byte, over every tail length, agree on all paths; sign quirks included. */
    @ParameterizedTest
    @EnumSource(HashKind.class)
    void allPathsAgreeOnRandomKeysOfEveryLength(HashKind kind) {
        Random random = new Random(kind.ordinal());
        KeyHash hash = KeyHashes.of(kind);
        for (int length = 0; length <= 80; length++) {
            byte[] key = new byte[length];
            random.nextBytes(key);
            assertEveryPath(kind, key, hash.hash(key, 0, length));
        }
    }

    @Test
    void unknownConfigNameListsTheValidOnes() {
        assertThat(KeyHashes.byConfigName("murmur").kind()).isEqualTo(HashKind.MURMUR);
        assertThatThrownBy(() -> KeyHashes.byConfigName("sha1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sha1'")
                .hasMessageContaining(HashKind.validNames());
    }

    @ParameterizedTest
    @EnumSource(HashKind.class)
    void everyKindHasItsOwnHash(HashKind kind) {
        assertThat(KeyHashes.of(kind).kind()).isEqualTo(kind);
    }

    @Test
    void longKeysOnADirectBufferUseAThrowAwayScratch() {
        byte[] key = new byte[KeyScratch.MAX_KEPT + 10];
        new Random(7).nextBytes(key);
        for (HashKind kind : HashKind.values()) {
            assertEveryPath(kind, key, KeyHashes.of(kind).hash(key, 0, key.length));
        }
    }

    private static void assertEveryPath(HashKind kind, String input, int expected) {
        assertEveryPath(kind, bytes(input), expected);
    }

    /** The same key through a plain array, an array at an offset, a heap slice, a direct buffer and a composite. */
    private static void assertEveryPath(HashKind kind, byte[] key, int expected) {
        KeyHash hash = KeyHashes.of(kind);
        String what = kind + " over " + key.length + " bytes";
        assertThat(hash.hash(key, 0, key.length)).as(what + ", array").isEqualTo(expected);

        byte[] padded = new byte[key.length + 11];
        Arrays.fill(padded, (byte) 0xA5);
        System.arraycopy(key, 0, padded, 5, key.length);
        assertThat(hash.hash(padded, 5, key.length)).as(what + ", array at offset 5").isEqualTo(expected);

        ByteBuf heap = Unpooled.wrappedBuffer(padded);
        ByteBuf direct = Unpooled.directBuffer(padded.length).writeBytes(padded);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        try {
            ByteBuf slice = heap.slice(3, key.length + 4); // arrayOffset 3, key at slice index 2
            assertThat(hash.hash(slice, 2, key.length)).as(what + ", heap slice").isEqualTo(expected);
            assertThat(hash.hash(direct, 5, key.length)).as(what + ", direct").isEqualTo(expected);
            composite.addComponents(true, Unpooled.wrappedBuffer(padded, 0, 6),
                    Unpooled.directBuffer().writeBytes(padded, 6, padded.length - 6));
            assertThat(hash.hash(composite, 5, key.length)).as(what + ", composite").isEqualTo(expected);
            assertThat(direct.readerIndex()).isZero();
        } finally {
            heap.release();
            direct.release();
            composite.release();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
