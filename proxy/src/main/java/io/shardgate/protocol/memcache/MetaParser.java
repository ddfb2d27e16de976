package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.memcache.MetaRequest.Command;
import io.shardgate.protocol.memcache.MetaRequest.Quiet;

/**
 * Validates one meta command line ({@code m?}) the way memcached 1.6 does, with memcached's own error lines, so
 * that nothing malformed reaches a backend and the client sees the reply memcached would give. Works on the
 * tokens the request decoder already found; one instance per decoder, holding the outcome of the last line.
 *
 * <p>The checks, in memcached's order: the command's tokens, the key's length (as sent, before base64), the
 * number of tokens, then every flag in turn (a flag letter memcached knows, each at most once, numeric tokens
 * that parse the way memcached's {@code safe_strto*} parse them, a base64 key that decodes), then the command's
 * own checks ({@code M} mode, {@code O} opaque length, the value size).
 */
final class MetaParser extends LineParser {
    /** memcached refuses a meta line of 20 tokens or more (its 20 counts the end-of-line token). */
    static final int MAX_TOKENS = 19;
    /** The longest O token memcached echoes, letter included. */
    static final int MAX_OPAQUE_TOKEN = 32;

    private final int maxValueBytes;

    // ---- the outcome of the last parse; offsets are from the start of the line ----
    Command command;
    int keyOffset;
    int keyLength;
    byte[] binaryKey;
    /** {@link MetaRequest#rawKeyInReply}. */
    byte[] rawKeyInReply;
    Quiet quiet;
    int quietOffset;
    int quietLength;

    // ---- flag parsing scratch ----
    private final boolean[] seen = new boolean[128];
    private String flagError;
    private boolean hasN;
    private byte mode;
    private int opaqueLength;
    private long number;

    MetaParser(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /** True for a two-letter command starting with m: memcached treats every such line as a meta command. */
    static boolean isMeta(ByteBuf in, int start, int end) {
        return end - start == 2 && in.getByte(start) == 'm';
    }

    /**
     * Parses a meta line. {@code tokens} holds absolute start/end pairs into {@code in}; the command token is
     * token 0 and {@link #isMeta} holds for it.
     */
    @Override
    Outcome parse(ByteBuf in, int lineStart, int[] tokens, int tokenCount) {
        reset();
        binaryKey = null;
        rawKeyInReply = null;
        quiet = Quiet.NONE;
        quietOffset = -1;
        quietLength = 0;
        byte letter = in.getByte(tokens[0] + 1);
        switch (letter) {
            case 'n' -> {
                return reply(McReplies.MN); // mn ignores anything after it, as memcached does
            }
            case 'g' -> command = Command.MG;
            case 's' -> command = Command.MS;
            case 'd' -> command = Command.MD;
            case 'a' -> command = Command.MA;
            case 'e' -> command = Command.ME;
            default -> {
                return reply(McReplies.ERROR);
            }
        }
        if (command == Command.ME) return debug(in, lineStart, tokens, tokenCount);
        if (command == Command.MS) return set(in, lineStart, tokens, tokenCount);
        if (tokenCount < 2) return reply(McReplies.ERROR);
        if (!plausibleKey(in, tokens[2], tokens[3])) return reply(McReplies.BAD_FORMAT);
        if (tokenCount > MAX_TOKENS) {
            return reply(command == Command.MG ? McReplies.META_OPTIONS_ARE_TOO_LONG : McReplies.META_OPTIONS_TOO_LONG);
        }
        String error = flags(in, tokens, tokenCount, 2);
        if (error != null) {
            // md and ma report every flag error alike
            return command == Command.MG ? replyLine(error) : reply(McReplies.META_INVALID_OR_DUPLICATE_FLAG);
        }
        if (command == Command.MA && mode != 0 && mode != 'I' && mode != '+' && mode != 'D' && mode != '-') {
            return replyLine("CLIENT_ERROR invalid mode for ma M token");
        }
        if (opaqueLength > MAX_OPAQUE_TOKEN) return reply(McReplies.META_OPAQUE_TOO_LONG);
        key(lineStart, tokens);
        if (command == Command.MG && seen['k']) rawKeyInReply = withNewline(binaryKey);
        if (quietOffset >= 0) {
            quiet = switch (command) {
                case MG -> Quiet.DROP_MISS;
                case MD -> Quiet.DROP_HD;
                case MA -> hasN ? Quiet.BRACKETED : Quiet.DROP_HD_OR_VA;
                default -> throw new IllegalStateException();
            };
        }
        return Outcome.REQUEST;
    }

    /**
     * ms: memcached's checks and messages, but the data length decides what follows an error: with a usable length
     * the data block is skipped (memcached skips it only after errors in the flags, and reads it as commands
     * otherwise); without one the stream can't be followed any more and the client is closed.
     */
    private Outcome set(ByteBuf in, int lineStart, int[] tokens, int tokenCount) {
        if (tokenCount < 2) return replyAndClose(McReplies.ERROR);
        boolean lengthOk = tokenCount >= 3 && cNumber(in, tokens[4], tokens[5], false)
                && number >= 0 && number <= Integer.MAX_VALUE - 2;
        long length = number;
        ByteBuf lineError = !plausibleKey(in, tokens[2], tokens[3]) || tokenCount == 2 ? McReplies.BAD_FORMAT
                : tokenCount > MAX_TOKENS ? McReplies.META_OPTIONS_TOO_LONG
                : !lengthOk ? McReplies.BAD_FORMAT
                : null;
        if (lineError != null) return lengthOk ? replyAndSwallow(McReplies.of(lineError), length) : replyAndClose(lineError);
        String error = flags(in, tokens, tokenCount, 3);
        if (error != null) return replyAndSwallow(McReplies.clientErrorLine(error), length);
        if (mode != 0 && mode != 'E' && mode != 'A' && mode != 'P' && mode != 'R' && mode != 'S') {
            return replyAndSwallow(McReplies.clientErrorLine("CLIENT_ERROR invalid mode for ms M token"), length);
        }
        if (opaqueLength > MAX_OPAQUE_TOKEN) return replyAndSwallow(McReplies.of(McReplies.META_OPAQUE_TOO_LONG), length);
        if (length > maxValueBytes) return replyAndSwallow(McReplies.of(McReplies.TOO_LARGE), length);
        key(lineStart, tokens);
        if (quietOffset >= 0) quiet = Quiet.DROP_HD;
        dataLength = (int) length;
        return Outcome.REQUEST;
    }

    /** me: memcached looks only at the key and whether the next token is exactly "b"; the rest is ignored. */
    private Outcome debug(ByteBuf in, int lineStart, int[] tokens, int tokenCount) {
        if (tokenCount < 2 || !plausibleKey(in, tokens[2], tokens[3])) return reply(McReplies.BAD_FORMAT);
        if (tokenCount >= 3 && tokens[5] - tokens[4] == 1 && in.getByte(tokens[4]) == 'b') {
            binaryKey = Base64Key.decode(in, tokens[2], tokens[3]);
            if (binaryKey == null) return reply(McReplies.BAD_FORMAT);
            rawKeyInReply = withNewline(binaryKey);
        }
        key(lineStart, tokens);
        return Outcome.REQUEST;
    }

    /** {@code key} when it holds a newline, else null (null for null). */
    private static byte[] withNewline(byte[] key) {
        if (key == null) return null;
        for (byte b : key) {
            if (b == '\n') return key;
        }
        return null;
    }

    private void key(int lineStart, int[] tokens) {
        keyOffset = tokens[2] - lineStart;
        keyLength = tokens[3] - tokens[2];
        if (quietOffset >= 0) quietOffset -= lineStart;
    }

    /**
     * memcached's checks of the key token as sent: at most 250 bytes (a base64 key is measured encoded). Like the
     * text commands, the proxy also refuses control characters in it, which memcached lets through.
     */
    private static boolean plausibleKey(ByteBuf in, int start, int end) {
        if (end - start > TextParser.MAX_KEY_LENGTH) return false;
        for (int i = start; i < end; i++) {
            byte b = in.getByte(i);
            if ((b >= 0 && b < 0x20) || b == 0x7f) return false;
        }
        return true;
    }

    /**
     * Checks the flags from token {@code first} on, as memcached's flag pre-parse does: an unknown or repeated
     * flag stops at once; other errors are remembered (the last one wins) and checking goes on. Returns the error
     * line, or null when every flag is good.
     */
    private String flags(ByteBuf in, int[] tokens, int tokenCount, int first) {
        java.util.Arrays.fill(seen, false);
        flagError = null;
        boolean failed = false;
        hasN = false;
        mode = 0;
        opaqueLength = 0;
        for (int t = first; t < tokenCount; t++) {
            int start = tokens[2 * t];
            int end = tokens[2 * t + 1];
            int flag = in.getByte(start) & 0xff;
            if (flag >= 127 || seen[flag]) return "CLIENT_ERROR duplicate flag";
            seen[flag] = true;
            switch (flag) {
                case 'b' -> {
                    binaryKey = Base64Key.decode(in, tokens[2], tokens[3]);
                    if (binaryKey == null) failed = error("CLIENT_ERROR error decoding key");
                }
                case 'N', 'T', 'R' -> {
                    if (flag == 'N') hasN = true;
                    if (!cNumber(in, start + 1, end, false)) failed = error("CLIENT_ERROR bad token in command line format");
                }
                case 'l', 'O', 'P', 'L', 'k', 's', 't', 'c', 'f', 'v', 'h', 'u', 'I' -> {
                    if (flag == 'O') opaqueLength = end - start;
                }
                case 'q' -> {
                    quietOffset = start;
                    quietLength = end - start;
                }
                case 'F' -> failed |= !cNumber(in, start + 1, end, true); // memcached keeps the previous message
                case 'C' -> {
                    if (!cNumber(in, start + 1, end, true)) failed = error("CLIENT_ERROR bad token in command line format");
                }
                case 'M' -> {
                    if (end - start != 2) {
                        failed = error("CLIENT_ERROR incorrect length for M token");
                    } else {
                        mode = in.getByte(start + 1);
                    }
                }
                case 'J' -> {
                    if (!cNumber(in, start + 1, end, true)) failed = error("CLIENT_ERROR invalid numeric initial value");
                }
                case 'D' -> {
                    if (!cNumber(in, start + 1, end, true)) failed = error("CLIENT_ERROR invalid numeric delta value");
                }
                default -> {
                    return "CLIENT_ERROR invalid flag";
                }
            }
        }
        if (!failed) return null;
        return flagError != null ? flagError : "CLIENT_ERROR bad command line format";
    }

    private boolean error(String line) {
        flagError = line;
        return true;
    }

    /**
     * Whether C's {@code strtol} ({@code unsigned} false) or {@code strtoull} accepts the bytes as memcached's
     * {@code safe_strto*} check it: optional leading white space and sign, at least one digit, no overflow of 64
     * bits, and the number must end the token or be followed by white space. An unsigned parse refuses a result
     * that is negative as a signed number when the token holds a '-'. The value (wrapped to 64 bits) is left in
     * {@link #number}.
     */
    private boolean cNumber(ByteBuf in, int start, int end, boolean unsigned) {
        int i = start;
        while (i < end && isSpace(in.getByte(i))) i++;
        boolean negative = false;
        if (i < end && (in.getByte(i) == '+' || in.getByte(i) == '-')) {
            negative = in.getByte(i) == '-';
            i++;
        }
        int digits = i;
        long magnitude = 0;
        boolean overflow = false;
        for (; i < end; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) break;
            if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L, 10)) > 0) {
                overflow = true;
            } else {
                long next = magnitude * 10 + d;
                if (Long.compareUnsigned(next, magnitude * 10) < 0) overflow = true;
                magnitude = next;
            }
        }
        if (i == digits) return false;
        if (i < end && !isSpace(in.getByte(i))) return false;
        if (overflow) return false;
        if (unsigned) {
            number = negative ? -magnitude : magnitude;
            return number >= 0 || !contains(in, start, end, (byte) '-');
        }
        // strtol: the magnitude must fit a signed 64-bit value (2^63 only when negative)
        if (negative ? Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0 : magnitude < 0) return false;
        number = negative ? -magnitude : magnitude;
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean contains(ByteBuf in, int start, int end, byte b) {
        return in.indexOf(start, end, b) >= 0;
    }

    @Override
    MetaRequest request(ByteBuf frame, int lineLength) {
        // an ms reply's k is always base64 for b: memcached marks the item it stores as having a binary key
        byte[] rawKey = dataLength >= 0 ? null : rawKeyInReply;
        return new MetaRequest(command, frame, lineLength, keyOffset, keyLength, binaryKey, rawKey, quiet, quietOffset,
                quietLength);
    }
}
