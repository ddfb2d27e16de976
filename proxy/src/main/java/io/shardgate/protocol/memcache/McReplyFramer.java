package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.shardgate.protocol.LargeFrameDecoder;
import io.shardgate.protocol.PendingReplies;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds where each memcached reply ends, without looking at more than it must. A retrieval's reply is any
 * number of {@code VALUE} entries (line plus data block) up to {@code END}; a meta {@code VA} reply is a line
 * plus data block; a reply the proxy bracketed with {@code mn} runs from {@code MN} to {@code MN}; every other
 * reply is one line. The data blocks are skipped by their declared length, so a
 * value may hold anything, {@code \r\nEND\r\n} included. Each frame leaves as a retained slice of what was read.
 *
 * <p>A line ends at its {@code \n}, with one exception that the bytes alone can't tell: memcached (1.6.18, and
 * later ones alike) doesn't mark an item that {@code mg ... N} creates as having a binary key (nor, in 1.6.18, the
 * copy an increment may replace an item by), so {@code mg}'s {@code k} and {@code me ... b} write such a key back
 * raw, whatever bytes it holds, newlines included. Read by
 * lines, the rest of that reply would become the reply to the next request on the connection, which may be
 * another client's, and every reply after it would go to the wrong request. So a request whose decoded key holds
 * a newline and may be written back leaves a {@link RawKey} hint ({@link PendingReplies}), and the first line of
 * its reply runs past that key when the line holds it where memcached writes a key: after {@code ME }, or after
 * the first {@code " k"} of an {@code HD} or {@code VA} line (no flag memcached writes before {@code k} holds a
 * space).
 */
final class McReplyFramer extends LargeFrameDecoder {
    /**
     * The framing hint of a request whose reply may hold {@code key} raw. Only keys with a {@code \n} get one:
     * any other key, raw or not, leaves the line's end where it is.
     */
    record RawKey(byte[] key) {}

    /** A reply line longer than this means the stream is not memcached's; the connection is dropped. */
    static final int MAX_REPLY_LINE = 8192;

    private static final byte[] VALUE = "VALUE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VA = "VA ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MN = "MN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ME = "ME ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HD = "HD".getBytes(StandardCharsets.US_ASCII);
    /** The first word of every one-line reply memcached sends (text and meta); an incr/decr reply is a number. */
    private static final byte[][] REPLY_WORDS = words("END", "STORED", "NOT_STORED", "EXISTS", "NOT_FOUND", "DELETED",
            "TOUCHED", "OK", "VERSION", "ERROR", "CLIENT_ERROR", "SERVER_ERROR", "HD", "EN", "NS", "EX", "NF", "MN", "ME");
    /** The replies that may end a retrieval after its entries: END, or an error. */
    private static final byte[][] RETRIEVAL_ENDS = words("END", "ERROR", "CLIENT_ERROR", "SERVER_ERROR");

    private final PendingReplies pending;

    /** How far into the current frame the entries before this point were already checked complete. */
    private int parsed;
    /**
     * The current frame opened with {@code MN}: it runs to the next {@code MN}. Clients' own {@code mn} are
     * answered by the proxy, so an {@code MN} from a server is always one of the pair the proxy sent around a
     * request whose replies it can't predict (see {@link MetaRequest.Quiet#BRACKETED}).
     */
    private boolean bracketed;

    /** A framer for the replies of the requests {@code pending} shows. */
    McReplyFramer(PendingReplies pending) {
        this.pending = pending;
    }

    /** A framer that knows nothing of the requests (no raw keys in the replies). */
    McReplyFramer() {
        this(PendingReplies.NONE);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        awaiting(0);
        for (;;) {
            int frameStart = in.readerIndex();
            int end = in.writerIndex();
            int pos = frameStart + parsed;
            int frameEnd = -1;
            // the frames already in out are not handed on yet, so this reply's request is out.size() further on
            byte[] rawKey = pending.framingHint(out.size()) instanceof RawKey hint ? hint.key() : null;
            while (frameEnd < 0) {
                int eol = pos == frameStart && rawKey != null ? endOfLineWithKey(in, pos, end, rawKey)
                        : in.indexOf(pos, end, (byte) '\n');
                if (eol < 0) {
                    if (end - pos > MAX_REPLY_LINE) throw new CorruptedFrameException("reply line too long");
                    parsed = pos - frameStart;
                    return;
                }
                // the same limit as for a line still arriving, so the outcome does not depend on how it arrived
                if (eol - pos > MAX_REPLY_LINE) throw new CorruptedFrameException("reply line too long");
                int lineEnd = eol > pos && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
                if (Ascii.startsWith(in, pos, lineEnd, VALUE)) {
                    int next = skipData(in, pos, lineEnd, eol, 4);
                    if (next < 0) {
                        parsed = pos - frameStart;
                        return;
                    }
                    pos = next; // more entries, then END
                } else if (Ascii.startsWith(in, pos, lineEnd, VA)) {
                    int next = skipData(in, pos, lineEnd, eol, 2);
                    if (next < 0) {
                        parsed = pos - frameStart;
                        return;
                    }
                    if (bracketed) {
                        pos = next;
                    } else {
                        frameEnd = next;
                    }
                } else if (bracketed) {
                    // inside MN ... MN every line belongs to the frame; the second MN ends it
                    if (Ascii.equals(in, pos, lineEnd, MN)) {
                        frameEnd = eol + 1;
                    } else {
                        pos = eol + 1;
                    }
                } else if (pos == frameStart && Ascii.equals(in, pos, lineEnd, MN)) {
                    bracketed = true;
                    pos = eol + 1;
                } else {
                    // END closes a retrieval; any other line is a reply on its own, or an error ending one. A line
                    // that is none of memcached's replies means the stream is not memcached's: forwarding it would
                    // hand a client garbage as its reply.
                    if (!startsWithWord(in, pos, lineEnd, pos == frameStart ? REPLY_WORDS : RETRIEVAL_ENDS)
                            && !(pos == frameStart && isNumber(in, pos, lineEnd))) {
                        throw new CorruptedFrameException("not a memcached reply from server");
                    }
                    frameEnd = eol + 1;
                }
            }
            parsed = 0;
            bracketed = false;
            out.add(in.retainedSlice(frameStart, frameEnd - frameStart));
            in.readerIndex(frameEnd);
        }
    }

    /** Whether the line {@code [pos, lineEnd)} is one of {@code words}, alone or followed by a space. */
    private static boolean startsWithWord(ByteBuf in, int pos, int lineEnd, byte[][] words) {
        int wordEnd = in.indexOf(pos, lineEnd, (byte) ' ');
        if (wordEnd < 0) wordEnd = lineEnd;
        for (byte[] word : words) {
            if (Ascii.equals(in, pos, wordEnd, word)) return true;
        }
        return false;
    }

    /** Whether the line is an unsigned decimal (an incr or decr reply). */
    private static boolean isNumber(ByteBuf in, int pos, int lineEnd) {
        return Ascii.isUnsigned64(in, pos, lineEnd);
    }

    private static byte[][] words(String... words) {
        byte[][] bytes = new byte[words.length][];
        for (int i = 0; i < words.length; i++) bytes[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        return bytes;
    }

    /**
     * The {@code \n} ending the line at {@code pos} whose reply may hold {@code rawKey} raw (which holds a
     * {@code \n}), or -1 when it hasn't all arrived. If the line holds the key where memcached writes one, the line
     * ends at the first {@code \n} after the key; otherwise at its first {@code \n}, as any line. When memcached
     * writes the key in base64 instead, the bytes differ from the raw key before the line's first {@code \n}: the
     * base64 form is longer than the key and holds no newline, while the key's first newline comes within its
     * length.
     */
    private static int endOfLineWithKey(ByteBuf in, int pos, int end, byte[] rawKey) {
        int eol = in.indexOf(pos, end, (byte) '\n');
        if (eol < 0) return -1;
        int keyStart = keyStart(in, pos, eol);
        if (keyStart < 0) return eol;
        int arrived = Math.min(rawKey.length, end - keyStart);
        for (int i = 0; i < arrived; i++) {
            if (in.getByte(keyStart + i) != rawKey[i]) return eol;
        }
        if (arrived < rawKey.length) return -1; // so far the key: wait for the rest
        return in.indexOf(keyStart + rawKey.length, end, (byte) '\n');
    }

    /**
     * Where a key written back from the item starts in the reply line {@code [pos, eol)}: after {@code ME } in an
     * {@code me} hit, after the first {@code " k"} in an {@code mg} hit ({@code HD}, {@code VA}); -1 otherwise (a
     * miss writes the key as it was asked, base64 for {@code b}).
     */
    private static int keyStart(ByteBuf in, int pos, int eol) {
        if (Ascii.startsWith(in, pos, eol, ME)) return pos + ME.length;
        if (!Ascii.startsWith(in, pos, eol, HD) && !Ascii.startsWith(in, pos, eol, VA)) return -1;
        for (int i = pos; i + 1 < eol; i++) {
            if (in.getByte(i) == ' ' && in.getByte(i + 1) == 'k') return i + 2;
        }
        return -1;
    }

    /**
     * Skips the data block announced by a {@code VALUE} or {@code VA} line whose length is token
     * {@code lengthToken} (1-based after the command). Returns where the next line starts, or -1 if the block
     * has not fully arrived (telling the cumulation how much is still to come).
     */
    private int skipData(ByteBuf in, int lineStart, int lineEnd, int eol, int lengthToken) {
        int tokenStart = lineStart;
        int token = 0;
        int tokenEnd = lineStart;
        for (int i = lineStart; i <= lineEnd; i++) {
            if (i == lineEnd || in.getByte(i) == ' ') {
                if (token == lengthToken - 1) {
                    tokenEnd = i;
                    break;
                }
                token++;
                tokenStart = i + 1;
            }
        }
        long length = Ascii.parseUnsigned(in, tokenStart, tokenEnd, Integer.MAX_VALUE - 2);
        if (token != lengthToken - 1 || length == Ascii.INVALID) {
            throw new CorruptedFrameException("bad value line from server");
        }
        long next = (long) eol + 1 + length + 2;
        if (next > in.writerIndex()) {
            awaiting(next - in.writerIndex());
            return -1;
        }
        int dataEnd = (int) next - 2;
        if (in.getByte(dataEnd) != '\r' || in.getByte(dataEnd + 1) != '\n') {
            throw new CorruptedFrameException("value from server not followed by \\r\\n");
        }
        return (int) next;
    }
}
