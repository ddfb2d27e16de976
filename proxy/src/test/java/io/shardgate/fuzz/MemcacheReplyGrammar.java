package io.shardgate.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The replies memcached 1.6 sends, text and meta protocol: every line ends in CRLF; a retrieval is any number of
 * {@code VALUE <key> <flags> <bytes> [<cas>]} entries, each followed by its data block and CRLF, then
 * {@code END}; {@code VA <bytes> <flags>*} is followed by its data block; the other replies are one line. The
 * proxy also brackets some meta requests with {@code mn} (docs/META.md), so a reply may be {@code MN}, meta
 * replies, {@code MN}. A reply line is at most {@link #MAX_LINE} bytes before its LF, the proxy's limit.
 */
final class MemcacheReplyGrammar implements ReplyGrammar {
    private static final Set<String> WORDS = Set.of("STORED", "NOT_STORED", "EXISTS", "NOT_FOUND", "DELETED",
            "TOUCHED", "ERROR", "OK", "END");
    private static final Set<String> META = Set.of("HD", "NF", "NS", "EX", "EN");

    /** The proxy's limit: a longer reply line means the stream is not memcached's (McReplyFramer). */
    static final int MAX_LINE = 8192;

    @Override
    public int next(byte[] in, int from) {
        int cr = lineEnd(in, from);
        if (cr < 0) return -1;
        String line = new String(in, from, cr - from, StandardCharsets.ISO_8859_1);
        int after = cr + 2;
        if (line.startsWith("VALUE ")) return retrieval(in, from);
        // an incr/decr reply: memcached's counters are 64-bit, and the framer refuses a number beyond them
        if (WORDS.contains(line) || MemcacheRequestGrammar.isUnsigned64(line)) return after - from;
        if (line.startsWith("CLIENT_ERROR ") || line.startsWith("SERVER_ERROR ") || line.startsWith("VERSION ")) {
            return after - from;
        }
        if (line.equals("MN")) {
            int pos = after;
            for (;;) {
                int end = lineEnd(in, pos);
                if (end < 0) return -1;
                if (end - pos == 2 && in[pos] == 'M' && in[pos + 1] == 'N') return end + 2 - from;
                int inner = meta(in, pos);
                if (inner < 0) return -1;
                pos += inner;
            }
        }
        int meta = meta(in, from);
        return meta < 0 ? -1 : meta;
    }

    /** {@link ReplyGrammar#lineEnd}, for a line of at most {@link #MAX_LINE} bytes before its LF. */
    private static int lineEnd(byte[] in, int pos) {
        int cr = ReplyGrammar.lineEnd(in, pos);
        return cr >= 0 && cr + 1 - pos <= MAX_LINE ? cr : -1;
    }

    /** One meta reply (or an error line) at {@code from}: its length, or -1. */
    private static int meta(byte[] in, int from) {
        int cr = lineEnd(in, from);
        if (cr < 0) return -1;
        String line = new String(in, from, cr - from, StandardCharsets.ISO_8859_1);
        int after = cr + 2;
        if (line.equals("ERROR") || line.startsWith("CLIENT_ERROR ") || line.startsWith("SERVER_ERROR ")) {
            return after - from;
        }
        String[] t = line.split(" ", -1);
        if (META.contains(t[0]) && flags(t, 1)) return after - from;
        if (t[0].equals("ME") && t.length >= 2 && isKey(t[1])) return after - from;
        if (t[0].equals("VA") && t.length >= 2 && isDigits(t[1]) && t[1].length() <= 9 && flags(t, 2)) {
            return data(in, from, after, Long.parseLong(t[1]));
        }
        return -1;
    }

    private static boolean flags(String[] t, int first) {
        for (int i = first; i < t.length; i++) {
            if (t[i].isEmpty() || !Character.isLetter(t[i].charAt(0)) || t[i].charAt(0) > 'z') return false;
        }
        return true;
    }

    private static int retrieval(byte[] in, int from) {
        int pos = from;
        for (;;) {
            int cr = lineEnd(in, pos);
            if (cr < 0) return -1;
            String line = new String(in, pos, cr - pos, StandardCharsets.ISO_8859_1);
            if (line.equals("END")) return cr + 2 - from;
            String[] t = line.split(" ", -1);
            if (!t[0].equals("VALUE") || (t.length != 4 && t.length != 5) || !isKey(t[1])
                    || !MemcacheRequestGrammar.isUnsigned(t[2], 0xFFFF_FFFFL) || !isDigits(t[3]) || t[3].length() > 9
                    || (t.length == 5 && !MemcacheRequestGrammar.isUnsigned64(t[4]))) {
                return -1;
            }
            int end = data(in, pos, cr + 2, Long.parseLong(t[3]));
            if (end < 0) return -1;
            pos += end;
        }
    }

    /** The length from {@code from} to past the data block at {@code dataStart} and its CRLF, or -1. */
    private static int data(byte[] in, int from, int dataStart, long length) {
        long end = dataStart + length + 2;
        if (end > in.length || in[(int) end - 2] != '\r' || in[(int) end - 1] != '\n') return -1;
        return (int) end - from;
    }

    private static boolean isKey(String key) {
        return MemcacheRequestGrammar.isKey(key) && key.indexOf(' ') < 0;
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
