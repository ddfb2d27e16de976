package io.shardgate.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How redis reads a client's requests (RESP2, {@code networking.c}): a multi-bulk request {@code *<n>\r\n} then n
 * bulk strings {@code $<len>\r\n<bytes>\r\n}, with redis's integers (no sign on zero, no leading zeros, no
 * plus), an array of n <= 0 skipped; or an inline command, a line split into words as redis's
 * {@code sdssplitargs} splits it. The proxy's limits (header length, bulk size, argument count, request size,
 * inline length) bound what counts as valid.
 *
 * <p>{@link #checkSent}: a request sent to the server must be exactly one multi-bulk request, either the client's
 * bytes or, for an inline command, the RESP form of the words redis would have read from that line.
 */
final class RespRequestGrammar implements RequestGrammar {
    /** The proxy's longest {@code *<n>} / {@code $<len>} line, CRLF included (a 64-bit length fits). */
    static final int MAX_HEADER = 24;

    private final int maxBulk;
    private final int maxArgs;
    private final int maxInline;
    private final int maxRequest;

    RespRequestGrammar(int maxBulk, int maxArgs, int maxInline, int maxRequest) {
        this.maxBulk = maxBulk;
        this.maxArgs = maxArgs;
        this.maxInline = maxInline;
        this.maxRequest = maxRequest;
    }

    @Override
    public Next next(byte[] in, int from) {
        if (from >= in.length) return new Unknown();
        if (in[from] == '*') {
            int length = multiBulk(in, from, in.length, true, true);
            if (length == IGNORED_ARRAY) return new Ignored(headerEnd(in, from, in.length) - from);
            return length > 0 ? new OneReply(length) : new Unknown();
        }
        int eol = MemcacheRequestGrammar.indexOf(in, (byte) '\n', from, in.length);
        if (eol < 0 || eol - from > maxInline) return new Unknown();
        int end = eol > from && in[eol - 1] == '\r' ? eol - 1 : eol;
        // redis ignores a bare newline; the proxy takes it for a stream out of step, a protocol error (docs/REDIS.md)
        if (end == from) return new Unknown();
        List<byte[]> words = splitArgs(in, from, end);
        if (words == null) return new Unknown(); // redis: unbalanced quotes, a protocol error
        return words.isEmpty() ? new Ignored(eol + 1 - from) : new OneReply(eol + 1 - from);
    }

    private static final int INVALID = -1;
    private static final int IGNORED_ARRAY = -2;

    /**
     * The length of the multi-bulk request at {@code from}, {@link #IGNORED_ARRAY} for {@code *0} or {@code *-1}
     * (when {@code ignoreEmpty}), else {@link #INVALID} (malformed, over one of the proxy's limits when
     * {@code limited}, or incomplete).
     */
    private int multiBulk(byte[] in, int from, int to, boolean ignoreEmpty, boolean limited) {
        int eol = headerEnd(in, from, to);
        if (eol < 0 || in[from] != '*') return INVALID;
        Long n = redisInteger(in, from + 1, eol - 1);
        if (n == null) return INVALID;
        if (n < -1) return INVALID; // redis ignores any negative count; the proxy refuses all but the null array
        if (n <= 0) return ignoreEmpty ? IGNORED_ARRAY : INVALID;
        if (limited && n > maxArgs) return INVALID;
        int pos = eol + 1;
        for (long i = 0; i < n; i++) {
            if (pos >= to || in[pos] != '$') return INVALID;
            int bulkEol = headerEnd(in, pos, to);
            if (bulkEol < 0) return INVALID;
            Long len = redisInteger(in, pos + 1, bulkEol - 1);
            if (len == null || len < 0 || (limited && len > maxBulk)) return INVALID;
            long dataEnd = bulkEol + 1 + len;
            if (dataEnd + 2 > to) return INVALID;
            if (in[(int) dataEnd] != '\r' || in[(int) dataEnd + 1] != '\n') return INVALID;
            pos = (int) dataEnd + 2;
            if (limited && pos - from > maxRequest) return INVALID;
        }
        return pos - from;
    }

    /** The LF of the header line at {@code pos}, which must end in CRLF within {@link #MAX_HEADER} bytes; -1 if not. */
    private static int headerEnd(byte[] in, int pos, int to) {
        int limit = Math.min(to, pos + MAX_HEADER);
        for (int i = pos; i < limit; i++) {
            if (in[i] == '\r') return i + 1 < to && in[i + 1] == '\n' && i + 1 < limit ? i + 1 : -1;
            if (in[i] == '\n') return -1;
        }
        return -1;
    }

    /** redis's {@code string2ll}: an optional minus, digits without a leading zero (but "0"), within 64 bits. */
    static Long redisInteger(byte[] in, int from, int to) {
        if (from >= to) return null;
        int i = from;
        boolean negative = in[i] == '-';
        if (negative) i++;
        if (i >= to) return null;
        if (in[i] == '0') return (to - i == 1 && !negative) ? 0L : null;
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        for (; i < to; i++) {
            if (in[i] < '0' || in[i] > '9') return null;
            v = v.multiply(java.math.BigInteger.TEN).add(java.math.BigInteger.valueOf(in[i] - '0'));
        }
        if (negative) v = v.negate();
        return v.bitLength() <= 63 ? v.longValue() : null;
    }

    /**
     * redis's {@code sdssplitargs} over the line [from, to): words separated by blanks; "..." with \xHH and C
     * escapes and '...' with \' quote them, a closing quote must end its word. The line is a C string to it: a
     * NUL byte ends it (inside quotes, that is an unbalanced quote). Returns null for unbalanced quotes.
     */
    static List<byte[]> splitArgs(byte[] in, int from, int to) {
        int nul = MemcacheRequestGrammar.indexOf(in, (byte) 0, from, to);
        int end = nul < 0 ? to : nul;
        List<byte[]> words = new ArrayList<>();
        int p = from;
        for (;;) {
            while (p < end && isSpace(in[p])) p++;
            if (p >= end) return words;
            ByteArrayOutputStream word = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            for (;;) {
                if (inDouble) {
                    if (p >= end) return null;
                    if (in[p] == '\\' && p + 3 < end && in[p + 1] == 'x' && isHex(in[p + 2]) && isHex(in[p + 3])) {
                        word.write(Integer.parseInt(new String(in, p + 2, 2, java.nio.charset.StandardCharsets.US_ASCII), 16));
                        p += 4;
                    } else if (in[p] == '\\' && p + 1 < end) {
                        byte c = in[p + 1];
                        word.write(switch (c) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> c;
                        });
                        p += 2;
                    } else if (in[p] == '"') {
                        if (p + 1 < end && !isSpace(in[p + 1])) return null;
                        p++;
                        break;
                    } else {
                        word.write(in[p++]);
                    }
                } else if (inSingle) {
                    if (p >= end) return null;
                    if (in[p] == '\\' && p + 1 < end && in[p + 1] == '\'') {
                        word.write('\'');
                        p += 2;
                    } else if (in[p] == '\'') {
                        if (p + 1 < end && !isSpace(in[p + 1])) return null;
                        p++;
                        break;
                    } else {
                        word.write(in[p++]);
                    }
                } else {
                    if (p >= end) break;
                    byte c = in[p];
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                        p++;
                        break;
                    }
                    if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        word.write(c);
                    }
                    p++;
                }
            }
            words.add(word.toByteArray());
        }
    }

    /** C's isspace. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    /** The RESP form of a command of these words. */
    static byte[] encode(List<byte[]> words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + words.size() + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (byte[] w : words) {
            out.writeBytes(("$" + w.length + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeBytes(w);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    @Override
    public String checkSent(byte[] in, int end, byte[] sent) {
        if (multiBulk(sent, 0, sent.length, false, false) != sent.length) return "not exactly one multi-bulk request";
        if (RequestGrammar.endsAt(in, end, sent)) return null;
        // an inline command: the line that ended at end, as redis splits it
        if (end < 1 || in[end - 1] != '\n') return "neither the client's bytes nor an inline line that ended there";
        int start = end - 1;
        while (start > 0 && in[start - 1] != '\n') start--;
        int lineEnd = end - 1 > start && in[end - 2] == '\r' ? end - 2 : end - 1;
        List<byte[]> words = splitArgs(in, start, lineEnd);
        if (words == null || words.isEmpty()) return "sent for a line redis reads no command from";
        byte[] expected = encode(words);
        if (!Arrays.equals(expected, sent)) return "redis reads the line as " + Feeds.show(expected);
        return null;
    }
}
