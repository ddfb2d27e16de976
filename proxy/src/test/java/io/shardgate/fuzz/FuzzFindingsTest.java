package io.shardgate.fuzz;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inputs that once broke a fuzz target's properties, each a named test with the input written out, run through the
 * same properties as the target that found it (or would have: some were found by reading the code the target
 * checks, the target then confirming them).
 */
@Timeout(600) // the long inputs are fed one byte at a time with the leak detector recording every access
class FuzzFindingsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void inlineCommandWithVerticalTabInAWord() {
        // redis ends an inline word only at space, tab, CR, LF or NUL: "a\vb" is one word
        RespRequestFuzzTest.PROPERTIES.check(bytes("SET a\u000bb c\r\n"));
        RespRequestFuzzTest.PROPERTIES.check(bytes("SET a\u000cb c\r\n"));
    }

    @Test
    void inlineCommandWithNulByte() {
        // redis reads an inline line as a C string: the words end at the NUL
        RespRequestFuzzTest.PROPERTIES.check(bytes("SET a b\u0000c\r\n"));
        RespRequestFuzzTest.PROPERTIES.check(bytes("SET \"a\u0000b\" c\r\n"));
    }

    @Test
    void memcachedReplyLineLongerThanTheLimitIsRefusedHoweverItArrives() {
        byte[] line = bytes("SERVER_ERROR " + "x".repeat(9000) + "\r\nSTORED\r\n");
        McReplyFuzzTest.PROPERTIES.check(line);
    }

    @Test
    void memcachedCommandLineOfExactlyTheLimitEndingInCrLf() {
        // 2,048 bytes is allowed; the CR of its CRLF was counted against the limit while the LF had not arrived
        McTextRequestFuzzTest.PROPERTIES.check(bytes("x".repeat(2048) + "\r\nget k\r\n"));
    }

    @Test
    void memcachedNumbersWithMoreThanNineteenLeadingZeros() {
        // memcached reads them with strtoul/strtoull: leading zeros do not count against the width
        McTextRequestFuzzTest.PROPERTIES.check(bytes("set k 00000000000000000000001 0 1\r\nx\r\n"));
        McTextRequestFuzzTest.PROPERTIES.check(bytes("set k 0 -000000000000000000000001 1\r\nx\r\n"));
        McTextRequestFuzzTest.PROPERTIES.check(bytes("set k 0 0 000000000000000000001\r\nx\r\n"));
        McTextRequestFuzzTest.PROPERTIES.check(bytes("cas k 0 0 1 000000000000000000000018446744073709551615\r\nx\r\n"));
        McTextRequestFuzzTest.PROPERTIES.check(bytes("incr k 0000000000000000000000000001\r\n"));
    }
}
