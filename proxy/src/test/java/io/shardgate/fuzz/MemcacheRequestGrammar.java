package io.shardgate.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * memcached's text and meta request grammar, as the proxy documents it (README, docs/META.md): a command line of
 * tokens separated by spaces, ending in {@code \n} or {@code \r\n}; keys of 1 to 250 bytes without control
 * characters; 32-bit flags and exptime, 64-bit cas and delta, plain decimal; a storage command's data block of
 * exactly the declared length (at most the proxy's value limit) followed by {@code \r\n}; command lines of at most
 * 2048 bytes (1 MiB for a retrieval).
 *
 * <p>{@link #next} reads the text commands fully and a plain subset of the meta commands (no {@code q}, no
 * {@code b}, a few common flags); {@link #checkSent} accepts any meta request memcached 1.6 frames the same way:
 * a known command, a valid key, known flags at most once each, numeric flags that parse, and for {@code ms} a data
 * block of exactly the length memcached reads from the line.
 */
final class MemcacheRequestGrammar implements RequestGrammar {
    static final int MAX_LINE = 2048;
    static final int MAX_RETRIEVAL_LINE = 1024 * 1024;
    static final int MAX_KEY = 250;
    static final int MAX_META_TOKENS = 19;

    private static final Set<String> RETRIEVALS = Set.of("get", "gets", "gat", "gats");
    private static final Set<String> STORAGE = Set.of("set", "add", "replace", "append", "prepend");
    /** Every flag letter memcached 1.6's meta commands know. */
    private static final String META_FLAGS = "bNTRlOPLkstcfvhuIqFCMJDEx";
    /** The flags of the plain subset {@link #next} reads, with what may follow each letter. */
    private static final String PLAIN_BARE = "vkstcfhl";

    private final int maxValueBytes;

    MemcacheRequestGrammar(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    private record Line(int start, int end, int next, List<String> tokens) {}

    /** The line at {@code from}: its bytes without the terminator, and where the next one starts; null if none. */
    private static Line line(byte[] in, int from) {
        int eol = indexOf(in, (byte) '\n', from, in.length);
        if (eol < 0) return null;
        int end = eol > from && in[eol - 1] == '\r' ? eol - 1 : eol;
        List<String> tokens = new ArrayList<>();
        int i = from;
        while (i < end) {
            while (i < end && in[i] == ' ') i++;
            int s = i;
            while (i < end && in[i] != ' ') i++;
            if (i > s) tokens.add(new String(in, s, i - s, StandardCharsets.ISO_8859_1));
        }
        return new Line(from, end, eol + 1, tokens);
    }

    @Override
    public Next next(byte[] in, int from) {
        Line line = line(in, from);
        if (line == null || line.tokens.isEmpty()) return new Unknown();
        List<String> t = line.tokens;
        String command = t.get(0);
        boolean retrievalPrefix = startsWithAny(in, from, line.end, "get ", "gets ", "gat ", "gats ");
        if (line.end - from > (retrievalPrefix ? MAX_RETRIEVAL_LINE : MAX_LINE)) return new Unknown();
        int lineLength = line.next - from;
        if (command.length() == 2 && command.charAt(0) == 'm') return nextMeta(in, from, line);
        if (command.equals("version") && t.size() == 1) return new OneReply(lineLength);
        if (RETRIEVALS.contains(command)) {
            int firstKey = command.startsWith("gat") ? 2 : 1;
            if (t.size() <= firstKey) return new Unknown();
            if (firstKey == 2 && !isInt32(t.get(1))) return new Unknown();
            for (int k = firstKey; k < t.size(); k++) {
                if (!isKey(t.get(k))) return new Unknown();
            }
            return new Forward(lineLength);
        }
        boolean cas = command.equals("cas");
        if (cas || STORAGE.contains(command)) {
            int n = cas ? 6 : 5;
            if (t.size() != n && !(t.size() == n + 1 && t.get(n).equals("noreply"))) return new Unknown();
            if (!isKey(t.get(1)) || !isUnsigned(t.get(2), 0xFFFF_FFFFL) || !isInt32(t.get(3))) return new Unknown();
            if (cas && !isUnsigned64(t.get(5))) return new Unknown();
            if (!isUnsigned(t.get(4), maxValueBytes)) return new Unknown();
            long length = Long.parseLong(t.get(4));
            return dataBlock(in, from, line.next, length);
        }
        switch (command) {
            case "incr", "decr" -> {
                if (!lastIsNoreplyOr(t, 3) || !isKey(t.get(1)) || !isUnsigned64(t.get(2))) return new Unknown();
                return new Forward(lineLength);
            }
            case "touch" -> {
                if (!lastIsNoreplyOr(t, 3) || !isKey(t.get(1)) || !isInt32(t.get(2))) return new Unknown();
                return new Forward(lineLength);
            }
            case "delete" -> {
                if (t.size() < 2 || t.size() > 4 || !isKey(t.get(1))) return new Unknown();
                boolean ok = t.size() == 2
                        || (t.size() == 3 && (t.get(2).equals("0") || t.get(2).equals("noreply")))
                        || (t.size() == 4 && t.get(2).equals("0") && t.get(3).equals("noreply"));
                return ok ? new Forward(lineLength) : new Unknown();
            }
            default -> {
                return new Unknown();
            }
        }
    }

    /** The plain meta subset; {@code mn} is answered by the proxy. */
    private Next nextMeta(byte[] in, int from, Line line) {
        List<String> t = line.tokens;
        int lineLength = line.next - from;
        switch (t.get(0)) {
            case "mn" -> {
                return new OneReply(lineLength);
            }
            case "me" -> {
                return t.size() == 2 && isPlainKey(t.get(1)) ? new Forward(lineLength) : new Unknown();
            }
            case "mg", "md", "ma" -> {
                if (t.size() < 2 || t.size() > MAX_META_TOKENS || !isPlainKey(t.get(1))) return new Unknown();
                return plainFlags(t, 2, PLAIN_BARE, "OTN") ? new Forward(lineLength) : new Unknown();
            }
            case "ms" -> {
                if (t.size() < 3 || t.size() > MAX_META_TOKENS || !isPlainKey(t.get(1))) return new Unknown();
                if (!isUnsigned(t.get(2), maxValueBytes) || !plainFlags(t, 3, "kc", "OTF")) return new Unknown();
                return dataBlock(in, from, line.next, Long.parseLong(t.get(2)));
            }
            default -> {
                return new Unknown();
            }
        }
    }

    /** Flags from token {@code first}: bare letters, or O (short alphanumeric) and T, N, F (short decimal). */
    private static boolean plainFlags(List<String> t, int first, String bare, String withValue) {
        boolean[] seen = new boolean[128];
        for (int i = first; i < t.size(); i++) {
            String flag = t.get(i);
            char letter = flag.charAt(0);
            if (letter >= 128 || seen[letter]) return false;
            seen[letter] = true;
            String value = flag.substring(1);
            if (bare.indexOf(letter) >= 0) {
                if (!value.isEmpty()) return false;
            } else if (withValue.indexOf(letter) >= 0) {
                boolean ok = letter == 'O'
                        ? value.length() <= 31 && value.chars().allMatch(Character::isLetterOrDigit) && value.chars().allMatch(c -> c < 128)
                        : value.length() >= 1 && value.length() <= 9 && value.chars().allMatch(c -> c >= '0' && c <= '9');
                if (!ok) return false;
            } else {
                return false;
            }
        }
        return true;
    }

    private static Next dataBlock(byte[] in, int from, int dataStart, long length) {
        long end = dataStart + length + 2;
        if (end > in.length) return new Unknown();
        int dataEnd = (int) end - 2;
        if (in[dataEnd] != '\r' || in[dataEnd + 1] != '\n') return new Unknown();
        return new Forward((int) end - from);
    }

    // ---- what was sent to the server ----

    private static final byte[] MN = "mn\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final java.util.regex.Pattern PROXY_FLUSH = java.util.regex.Pattern.compile("flush_all( -?[0-9]+)?\r\n");

    @Override
    public String checkSent(byte[] in, int end, byte[] sent) {
        if (PROXY_FLUSH.matcher(new String(sent, StandardCharsets.ISO_8859_1)).matches()) {
            // the proxy's own flush_all to each server, for a client's flush_all (README: memcached commands)
            int lineStart = end - 1;
            while (lineStart > 0 && in[lineStart - 1] != '\n') lineStart--;
            String clientLine = new String(in, lineStart, end - lineStart, StandardCharsets.ISO_8859_1).strip();
            return clientLine.startsWith("flush_all") ? null : "a flush_all for a client line that is not one";
        }
        if (RequestGrammar.endsAt(in, end, sent)) return wellFormed(sent, false);
        if (sent.length > 2 * MN.length && startsWith(sent, MN) && RequestGrammar.endsAt(sent, sent.length, MN)) {
            // a quiet ma with N goes between two mn, q kept (docs/META.md)
            byte[] inner = Arrays.copyOfRange(sent, MN.length, sent.length - MN.length);
            if (!RequestGrammar.endsAt(in, end, inner)) return "the request between the mn is not the client's";
            String problem = wellFormed(inner, true);
            if (problem != null) return problem;
            List<String> t = line(inner, 0).tokens;
            if (!t.get(0).equals("ma") || !hasFlag(t, 2, 'q') || !hasFlag(t, 2, 'N')) {
                return "only a quiet ma with N is sent between two mn";
            }
            return null;
        }
        // a quiet request: the client's bytes with the q token left out
        String problem = wellFormed(sent, false);
        if (problem != null) return problem;
        for (int start = end - sent.length - 2; start >= 0 && start >= end - sent.length - MAX_LINE; start--) {
            byte[] original = Arrays.copyOfRange(in, start, end);
            if (withoutOneQ(original, sent)) return wellFormed(original, true);
        }
        return "neither the client's bytes nor those bytes without the q flag";
    }

    /** Whether {@code sent} is {@code original} with one token starting with q, and the space before it, left out. */
    private static boolean withoutOneQ(byte[] original, byte[] sent) {
        int cut = original.length - sent.length;
        if (cut < 2) return false;
        for (int i = 0; i <= sent.length && i + cut <= original.length; i++) {
            if (i > 0 && original[i - 1] != sent[i - 1]) return false;
            if (original[i] != ' ' || original[i + 1] != 'q') continue;
            boolean oneToken = true;
            for (int k = i + 2; k < i + cut; k++) oneToken &= !endsToken(original, k);
            int after = i + cut;
            if (oneToken && (after == original.length || endsToken(original, after))
                    && Arrays.equals(original, after, original.length, sent, i, sent.length)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a token ends at {@code i}: a space, or the line's end ({@code \n} or the {@code \r} before it). */
    private static boolean endsToken(byte[] line, int i) {
        return line[i] == ' ' || line[i] == '\n' || (line[i] == '\r' && i + 1 < line.length && line[i + 1] == '\n');
    }

    /** Null when {@code request} is exactly one request memcached frames as the proxy did, else what is wrong. */
    String wellFormed(byte[] request, boolean quietAllowed) {
        Line line = line(request, 0);
        if (line == null) return "no complete line";
        if (line.tokens.isEmpty()) return "an empty line";
        String command = line.tokens.get(0);
        if (command.length() == 2 && command.charAt(0) == 'm') return wellFormedMeta(request, line, quietAllowed);
        Next next = next(request, 0);
        if (next instanceof Forward f && f.length() == request.length) return null;
        return "not one valid text request";
    }

    private String wellFormedMeta(byte[] request, Line line, boolean quietAllowed) {
        List<String> t = line.tokens;
        String command = t.get(0);
        if (!Set.of("mg", "ms", "md", "ma", "me").contains(command)) return "not a meta command memcached forwards";
        if (t.size() < 2 || !isKey(t.get(1))) return "no valid key";
        if (line.end - line.start > MAX_LINE) return "a meta line longer than " + MAX_LINE;
        if (command.equals("me")) {
            if (t.size() > 2 && t.get(2).equals("b") && !isBase64(t.get(1))) return "me b with a key that is not base64";
            return line.next == request.length ? null : "bytes after the line";
        }
        if (t.size() > MAX_META_TOKENS) return "more than " + MAX_META_TOKENS + " tokens";
        int first = command.equals("ms") ? 3 : 2;
        boolean[] seen = new boolean[128];
        for (int i = first; i < t.size(); i++) {
            String flag = t.get(i);
            char letter = flag.charAt(0);
            if (letter >= 128 || META_FLAGS.indexOf(letter) < 0) return "unknown flag " + flag;
            if (seen[letter]) return "flag " + letter + " twice";
            seen[letter] = true;
            String value = flag.substring(1);
            switch (letter) {
                case 'q' -> {
                    if (!quietAllowed) return "q sent to a shared server connection";
                }
                case 'b' -> {
                    if (!isBase64(t.get(1))) return "b with a key that is not base64";
                }
                case 'N', 'T', 'R', 'C', 'F', 'J', 'D' -> {
                    if (cNumber(value) == null) return "flag " + flag + " is not a number";
                }
                case 'M' -> {
                    if (value.length() != 1) return "M takes one character";
                }
                case 'O' -> {
                    if (flag.length() > 32) return "opaque longer than 32";
                }
                default -> { }
            }
        }
        if (!command.equals("ms")) return line.next == request.length ? null : "bytes after the line";
        if (t.size() < 3) return "ms without a data length";
        Long length = cNumber(t.get(2));
        if (length == null || length < 0 || length > maxValueBytes) return "ms with a bad data length";
        if (request.length != line.next + length + 2) return "data block of another length than memcached reads";
        if (request[request.length - 2] != '\r' || request[request.length - 1] != '\n') return "data not followed by \\r\\n";
        return null;
    }

    private static boolean hasFlag(List<String> t, int first, char letter) {
        for (int i = first; i < t.size(); i++) {
            if (t.get(i).charAt(0) == letter) return true;
        }
        return false;
    }

    // ---- tokens ----

    private static boolean lastIsNoreplyOr(List<String> t, int n) {
        return t.size() == n || (t.size() == n + 1 && t.get(n).equals("noreply"));
    }

    static boolean isKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY) return false;
        return key.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** A key of printable ASCII, which no meta flag changes the meaning of. */
    private static boolean isPlainKey(String key) {
        return isKey(key) && key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Plain decimal (leading zeros allowed) of at most {@code max}. */
    static boolean isUnsigned(String s, long max) {
        if (!isDigits(s)) return false;
        String digits = s.replaceFirst("^0+(?=.)", "");
        return digits.length() <= 19 && Long.parseLong(digits) <= max;
    }

    static boolean isUnsigned64(String s) {
        if (!isDigits(s)) return false;
        return new java.math.BigInteger(s).bitLength() <= 64;
    }

    static boolean isInt32(String s) {
        String digits = s.startsWith("-") ? s.substring(1) : s;
        if (!isDigits(digits)) return false;
        java.math.BigInteger v = new java.math.BigInteger(s);
        return v.bitLength() <= 31 || v.equals(java.math.BigInteger.valueOf(Integer.MIN_VALUE));
    }

    /**
     * C's strtol/strtoull as memcached's safe_strto* check them: optional sign, digits, then the end of the token or
     * a white-space character; what follows that character is not looked at ({@code T60\f\0x} is 60 to memcached).
     */
    private static Long cNumber(String s) {
        int i = 0;
        while (i < s.length() && isCSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) negative = s.charAt(i++) == '-';
        int digits = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        if (i == digits) return null;
        if (i < s.length() && !isCSpace(s.charAt(i))) return null;
        java.math.BigInteger v = new java.math.BigInteger(s.substring(digits, i));
        if (v.bitLength() > 64) return null;
        return negative ? -v.longValue() : v.longValue();
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * Whether memcached 1.6's base64 decoder takes the key: it skips bytes outside the alphabet, needs a non-zero
     * multiple of four alphabet bytes ('=' counted), stops after the first group holding padding (at most two
     * '=' in it), and must yield at least one byte.
     */
    private static boolean isBase64(String key) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        int count = 0;
        for (int i = 0; i < key.length(); i++) {
            if (alphabet.indexOf(key.charAt(i)) >= 0) count++;
        }
        if (count == 0 || count % 4 != 0) return false;
        int inGroup = 0;
        int pad = 0;
        int decoded = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (alphabet.indexOf(c) < 0) continue;
            if (c == '=') pad++;
            if (++inGroup < 4) continue;
            inGroup = 0;
            decoded += 3;
            if (pad > 0) {
                if (pad > 2) return false;
                decoded -= pad;
                break;
            }
        }
        return decoded > 0;
    }

    private static boolean startsWithAny(byte[] in, int from, int end, String... prefixes) {
        for (String p : prefixes) {
            if (end - from >= p.length() && new String(in, from, p.length(), StandardCharsets.ISO_8859_1).equals(p)) return true;
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    static int indexOf(byte[] in, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] == b) return i;
        }
        return -1;
    }
}
