package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;

/** Reads the numbers and words of a text-protocol line straight from the buffer, without making Strings. */
final class Ascii {
    /** Returned by the parsers for anything that is not a number in range. */
    static final long INVALID = Long.MIN_VALUE;

    private Ascii() {}

    /** An unsigned decimal of at most {@code max}, or {@link #INVALID}. */
    static long parseUnsigned(ByteBuf buf, int start, int end, long max) {
        start = afterLeadingZeros(buf, start, end);
        if (start >= end || end - start > 19) return INVALID;
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = buf.getByte(i) - '0';
            if (digit < 0 || digit > 9) return INVALID;
            value = value * 10 + digit;
        }
        return value <= max ? value : INVALID;
    }

    /** An unsigned 64-bit decimal (cas, delta): true when the token is one. */
    static boolean isUnsigned64(ByteBuf buf, int start, int end) {
        start = afterLeadingZeros(buf, start, end);
        int len = end - start;
        if (len <= 0 || len > 20) return false;
        for (int i = start; i < end; i++) {
            int digit = buf.getByte(i) - '0';
            if (digit < 0 || digit > 9) return false;
        }
        if (len < 20) return true;
        // 20 digits: compare with 18446744073709551615 digit by digit
        byte[] max = {'1', '8', '4', '4', '6', '7', '4', '4', '0', '7', '3', '7', '0', '9', '5', '5', '1', '6', '1', '5'};
        for (int i = 0; i < 20; i++) {
            byte b = buf.getByte(start + i);
            if (b != max[i]) return b < max[i];
        }
        return true;
    }

    /** Where the digits start once leading zeros are skipped (one is kept): like strtoul, they do not limit the width. */
    private static int afterLeadingZeros(ByteBuf buf, int start, int end) {
        while (end - start > 1 && buf.getByte(start) == '0') start++;
        return start;
    }

    /** A signed 32-bit decimal (exptime), or {@link #INVALID}. */
    static long parseInt32(ByteBuf buf, int start, int end) {
        boolean negative = start < end && buf.getByte(start) == '-';
        long value = parseUnsigned(buf, negative ? start + 1 : start, end, negative ? 1L << 31 : Integer.MAX_VALUE);
        if (value == INVALID) return INVALID;
        return negative ? -value : value;
    }

    static boolean equals(ByteBuf buf, int start, int end, byte[] word) {
        if (end - start != word.length) return false;
        for (int i = 0; i < word.length; i++) {
            if (buf.getByte(start + i) != word[i]) return false;
        }
        return true;
    }

    static boolean startsWith(ByteBuf buf, int start, int end, byte[] prefix) {
        if (end - start < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(start + i) != prefix[i]) return false;
        }
        return true;
    }
}
