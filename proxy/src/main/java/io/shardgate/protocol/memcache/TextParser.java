package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Validates one classic text command line (get, set, incr, delete, touch, flush_all, stats, verbosity, version,
 * quit...) the way memcached 1.6 does, with its error lines. Works on the tokens the request decoder found; one
 * instance per decoder, holding the outcome of the last line, and the decoder's pool of request objects.
 */
final class TextParser extends LineParser {
    static final int MAX_KEY_LENGTH = 250;

    private static final byte[] NOREPLY = ascii("noreply");
    private static final byte[] ZERO = ascii("0");
    private static final McCommand[] COMMANDS = McCommand.values();
    /** memcached 1.6's server commands that a proxy cannot sensibly serve for a pool of servers. */
    private static final List<String> UNSUPPORTED = List.of("cache_memlimit", "shutdown", "lru_crawler", "slabs",
            "watch", "lru", "misbehave", "debugtime", "extstore", "version_info");

    private final int maxValueBytes;
    private final McRequest.Pool requests = new McRequest.Pool();

    // ---- the request of the last parse; offsets are from the start of the line ----
    private McCommand command;
    private boolean noreply;
    private int keyCount;
    /** Key offset and length pairs, reused; one grown for a huge get is dropped after it. */
    private int[] keys = new int[32];
    private int argOffset;
    private int argLength;

    // ---- the line being parsed ----
    private ByteBuf in;
    private int start;
    private int[] tokens;
    private int tokenCount;

    TextParser(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    Outcome parse(ByteBuf in, int lineStart, int[] tokens, int tokenCount) {
        reset();
        this.in = in;
        this.start = lineStart;
        this.tokens = tokens;
        this.tokenCount = tokenCount;
        noreply = false;
        keyCount = 0;
        argOffset = 0;
        argLength = 0;
        try {
            command = lookup();
            if (command == null) return other();
            return switch (command.kind) {
                case RETRIEVAL -> retrieval();
                case STORAGE -> storage();
                case ARITHMETIC -> arithmetic();
                case DELETE -> delete();
                case TOUCH -> touch();
                case LOCAL -> Outcome.REQUEST; // memcached 1.6 ignores whatever follows version and quit
                case ADMIN -> admin();
            };
        } finally {
            this.in = null; // the read buffer is not kept past the line
        }
    }

    @Override
    McRequest request(ByteBuf frame, int lineLength) {
        McRequest request = keyCount == 1
                ? requests.single(command, frame, noreply, keys[0], keys[1], argOffset, argLength)
                : requests.multi(command, frame, noreply, keys, keyCount, argOffset, argLength); // it copies keys
        if (keys.length > 2048) keys = new int[32]; // a huge get's offsets are not kept
        return request;
    }

    /** flush_all, stats and verbosity, validated as memcached 1.6 validates them. */
    private Outcome admin() {
        return switch (command) {
            case FLUSH_ALL -> flushAll();
            case STATS -> stats();
            case VERBOSITY -> verbosity();
            default -> throw new IllegalStateException("not an admin command: " + command);
        };
    }

    /** {@code flush_all [delay] [noreply]}: like memcached, only the last token can be noreply. */
    private Outcome flushAll() {
        if (tokenCount > 3) return reply(McReplies.ERROR);
        noreply = tokenCount > 1 && isNoreply(tokenCount - 1);
        boolean hasDelay = tokenCount > (noreply ? 2 : 1);
        if (hasDelay && Ascii.parseInt32(in, tokenStart(1), tokenEnd(1)) == Ascii.INVALID) {
            return noreply ? Outcome.SKIP : replyLine("CLIENT_ERROR invalid exptime argument");
        }
        if (hasDelay) argument(1, 1);
        return Outcome.REQUEST;
    }

    /** {@code stats [group [args]]}: the group, if any, is the request's argument; the protocol answers it. */
    private Outcome stats() {
        if (tokenCount > 1 && isNoreply(1)) return reply(McReplies.ERROR); // memcached: stats has no noreply
        if (tokenCount > 1) argument(1, tokenCount - 1);
        return Outcome.REQUEST;
    }

    /**
     * {@code verbosity level [noreply]}: acknowledged, not forwarded, and the proxy's own log level is not a
     * client's to change. Answered here as memcached answers it, noreply included.
     */
    private Outcome verbosity() {
        if (tokenCount < 2 || tokenCount > 3) return reply(McReplies.ERROR);
        if (isNoreply(tokenCount - 1)) return Outcome.SKIP;
        boolean valid = Ascii.parseUnsigned(in, tokenStart(1), tokenEnd(1), Long.MAX_VALUE) != Ascii.INVALID;
        return reply(valid ? McReplies.OK : McReplies.BAD_FORMAT);
    }

    private Outcome retrieval() {
        int firstKey = command.touchesOnRetrieval() ? 2 : 1;
        if (tokenCount <= firstKey) return reply(McReplies.ERROR); // memcached answers a get without keys with ERROR
        if (command.touchesOnRetrieval()) {
            if (Ascii.parseInt32(in, tokenStart(1), tokenEnd(1)) == Ascii.INVALID) {
                return replyLine("CLIENT_ERROR invalid exptime argument");
            }
            argument(1, 1);
        }
        int count = tokenCount - firstKey;
        if (keys.length < count * 2) keys = new int[count * 2];
        for (int k = 0; k < count; k++) {
            if (!validKey(firstKey + k)) return reply(McReplies.BAD_FORMAT);
            key(k, firstKey + k);
        }
        keyCount = count;
        return Outcome.REQUEST;
    }

    private Outcome storage() {
        int expected = command == McCommand.CAS ? 6 : 5;
        long length = tokenCount >= 5 ? Ascii.parseUnsigned(in, tokenStart(4), tokenEnd(4), Integer.MAX_VALUE - 2) : Ascii.INVALID;
        // Without a length the data block can't be found: the stream can't be resynchronised.
        if (length == Ascii.INVALID) return replyAndClose(McReplies.BAD_FORMAT);
        noreply = tokenCount == expected + 1 && isNoreply(expected);
        boolean valid = (tokenCount == expected || noreply)
                && validKey(1)
                && Ascii.parseUnsigned(in, tokenStart(2), tokenEnd(2), 0xFFFF_FFFFL) != Ascii.INVALID
                && Ascii.parseInt32(in, tokenStart(3), tokenEnd(3)) != Ascii.INVALID
                && (command != McCommand.CAS || Ascii.isUnsigned64(in, tokenStart(5), tokenEnd(5)));
        // Unlike memcached, skip the data block of a refused command too, so client data is never read as commands.
        if (!valid) return replyAndSwallow(McReplies.of(McReplies.BAD_FORMAT), length);
        if (length > maxValueBytes) return replyAndSwallow(McReplies.of(McReplies.TOO_LARGE), length);
        singleKey();
        dataLength = (int) length;
        return Outcome.REQUEST;
    }

    private Outcome arithmetic() {
        noreply = tokenCount == 4 && isNoreply(3);
        if ((tokenCount != 3 && !noreply) || !validKey(1)) {
            return reply(tokenCount < 3 ? McReplies.ERROR : McReplies.BAD_FORMAT);
        }
        if (!Ascii.isUnsigned64(in, tokenStart(2), tokenEnd(2))) return reply(McReplies.INVALID_DELTA);
        singleKey();
        return Outcome.REQUEST;
    }

    private Outcome delete() {
        if (tokenCount < 2 || tokenCount > 4 || !validKey(1)) {
            return reply(tokenCount < 2 ? McReplies.ERROR : McReplies.BAD_FORMAT);
        }
        if (tokenCount > 2) {
            boolean holdIsZero = Ascii.equals(in, tokenStart(2), tokenEnd(2), ZERO);
            noreply = isNoreply(tokenCount - 1);
            boolean valid = (tokenCount == 3 && (holdIsZero || noreply)) || (tokenCount == 4 && holdIsZero && noreply);
            if (!valid) return reply(McReplies.BAD_DELETE);
        }
        singleKey();
        return Outcome.REQUEST;
    }

    private Outcome touch() {
        noreply = tokenCount == 4 && isNoreply(3);
        if ((tokenCount != 3 && !noreply) || !validKey(1)) {
            return reply(tokenCount < 3 ? McReplies.ERROR : McReplies.BAD_FORMAT);
        }
        if (Ascii.parseInt32(in, tokenStart(2), tokenEnd(2)) == Ascii.INVALID) {
            return replyLine("CLIENT_ERROR invalid exptime argument");
        }
        singleKey();
        return Outcome.REQUEST;
    }

    /** Commands the proxy does not forward: known ones get a reason, unknown ones memcached's ERROR. */
    private Outcome other() {
        String name = in.toString(tokenStart(0), tokenEnd(0) - tokenStart(0), StandardCharsets.US_ASCII);
        if (UNSUPPORTED.contains(name)) return replyLine("CLIENT_ERROR " + name + " is not supported by shardgate");
        return reply(McReplies.ERROR);
    }

    // ---- helpers ----

    /** Token 1 is the request's one key. */
    private void singleKey() {
        key(0, 1);
        keyCount = 1;
    }

    private void key(int k, int token) {
        keys[2 * k] = tokenStart(token) - start;
        keys[2 * k + 1] = tokenEnd(token) - tokenStart(token);
    }

    /** Tokens {@code first} to {@code last} are the request's argument (gat's exptime, flush_all's delay, stats' group). */
    private void argument(int first, int last) {
        argOffset = tokenStart(first) - start;
        argLength = tokenEnd(last) - tokenStart(first);
    }

    private int tokenStart(int t) {
        return tokens[2 * t];
    }

    private int tokenEnd(int t) {
        return tokens[2 * t + 1];
    }

    private McCommand lookup() {
        for (McCommand c : COMMANDS) {
            if (Ascii.equals(in, tokenStart(0), tokenEnd(0), c.name)) return c;
        }
        return null;
    }

    private boolean isNoreply(int t) {
        return Ascii.equals(in, tokenStart(t), tokenEnd(t), NOREPLY);
    }

    /** 1 to 250 bytes, none of them a control character (spaces can't occur: they separate tokens). */
    private boolean validKey(int t) {
        int s = tokenStart(t);
        int e = tokenEnd(t);
        if (e - s < 1 || e - s > MAX_KEY_LENGTH) return false;
        for (int i = s; i < e; i++) {
            byte b = in.getByte(i);
            if ((b >= 0 && b < 0x20) || b == 0x7f) return false;
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
