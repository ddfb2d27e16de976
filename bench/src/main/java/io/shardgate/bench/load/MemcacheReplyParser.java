package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Parses memcached text-protocol replies and verifies them against the requests in flight, as bytes arrive: a line
 * split across reads waits for its end; a value's bytes are compared piece by piece, so a large value is never
 * buffered whole. Allocates nothing per reply.
 *
 * <p>A get's values may come in any order (a proxy may answer a multi-key get fragment by fragment), but every
 * requested key must come exactly once, with flags 0, the set length and the derived bytes; a set must be answered
 * {@code STORED}.
 */
public final class MemcacheReplyParser implements ReplyParser {
    /** A line longer than this (without its end) is garbage, not a reply. */
    static final int MAX_LINE = 2048;
    /** A value length beyond this is garbage. */
    static final long MAX_VALUE_LENGTH = 1L << 30;

    private static final byte[] STORED = ascii("STORED");
    private static final byte[] END = ascii("END");
    private static final byte[] VALUE = ascii("VALUE ");
    private static final byte[] NOT_STORED = ascii("NOT_STORED");
    private static final byte[] EXISTS = ascii("EXISTS");
    private static final byte[] NOT_FOUND = ascii("NOT_FOUND");
    private static final byte[] ERROR = ascii("ERROR");
    private static final byte[] CLIENT_ERROR = ascii("CLIENT_ERROR");
    private static final byte[] SERVER_ERROR = ascii("SERVER_ERROR");

    private static final int LINE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;

    private final KeySpace keys;
    private final ValueSpec values;
    private final ValueCheck check;
    private final Listener listener;
    private final boolean allowMisses;

    private int state = LINE;
    private Request dataRequest;
    /** The key whose value is arriving, or -1 to skip the bytes without checking (the request already failed). */
    private int dataKey;
    private int dataLength;
    private int dataPosition;
    private String failure;

    /** @param allowMisses whether a get may omit a requested key (data not preloaded) instead of failing */
    public MemcacheReplyParser(KeySpace keys, ValueSpec values, Listener listener, boolean allowMisses) {
        this(keys, ValueCheck.fixed(values), listener, allowMisses);
    }

    public MemcacheReplyParser(KeySpace keys, ValueCheck check, Listener listener, boolean allowMisses) {
        this.keys = keys;
        this.values = check.values;
        this.check = check;
        this.listener = listener;
        this.allowMisses = allowMisses;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public boolean parse(ByteBuf in) {
        while (true) {
            switch (state) {
                case LINE: {
                    int start = in.readerIndex();
                    int readable = in.readableBytes();
                    if (readable == 0) return true;
                    int lf = in.indexOf(start, start + Math.min(readable, MAX_LINE + 2), (byte) '\n');
                    if (lf < 0) {
                        if (readable > MAX_LINE + 1) return fail("no line end within " + MAX_LINE + " bytes", in, start, MAX_LINE);
                        return true; // the rest of the line has not arrived yet
                    }
                    if (lf == start || in.getByte(lf - 1) != '\r') return fail("line not ended by CRLF", in, start, lf - start);
                    in.readerIndex(lf + 1);
                    if (!line(in, start, lf - 1 - start)) return false;
                    break;
                }
                case DATA: {
                    int wanted = dataLength - dataPosition;
                    if (wanted > 0) {
                        int n = Math.min(in.readableBytes(), wanted);
                        if (n == 0) return true;
                        if (dataKey >= 0) check.feed(in, in.readerIndex(), n);
                        in.skipBytes(n);
                        dataPosition += n;
                        if (n < wanted) return true;
                    }
                    state = DATA_END;
                    break;
                }
                case DATA_END: {
                    if (in.readableBytes() < 2) return true;
                    int at = in.readerIndex();
                    if (in.getByte(at) != '\r' || in.getByte(at + 1) != '\n') {
                        return fail("value of the announced length not followed by CRLF", in, at, 2);
                    }
                    in.skipBytes(2);
                    if (dataKey >= 0) {
                        ErrorKind problem = check.end();
                        if (problem != null) dataRequest.fail(problem);
                    }
                    dataRequest = null;
                    state = LINE;
                    break;
                }
                default:
                    throw new IllegalStateException("state " + state);
            }
        }
    }

    private boolean line(ByteBuf in, int start, int length) {
        Request r = listener.current();
        if (r == null) return fail("reply with no request in flight", in, start, length);
        if (r.kind == Request.SET) {
            if (equals(in, start, length, STORED)) {
                listener.completed(r);
            } else if (startsWith(in, start, length, NOT_STORED) || startsWith(in, start, length, EXISTS)
                    || startsWith(in, start, length, NOT_FOUND)) {
                r.fail(ErrorKind.NOT_STORED);
                listener.completed(r);
            } else if (isError(in, start, length)) {
                serverError(r, in, start, length);
                listener.completed(r);
            } else {
                return fail("unexpected reply to a set", in, start, length);
            }
            return true;
        }
        if (equals(in, start, length, END)) {
            if (r.found < r.keyCount && !allowMisses) r.fail(ErrorKind.MISSING_VALUE);
            listener.completed(r);
            return true;
        }
        if (startsWith(in, start, length, VALUE)) return valueLine(r, in, start, length);
        if (isError(in, start, length)) {
            serverError(r, in, start, length); // an error ends a get's reply: no END follows
            listener.completed(r);
            return true;
        }
        return fail("unexpected reply to a get", in, start, length);
    }

    /** {@code VALUE <key> <flags> <bytes>[ <cas>]}. */
    private boolean valueLine(Request r, ByteBuf in, int start, int length) {
        int end = start + length;
        int keyStart = start + VALUE.length;
        int keyEnd = in.indexOf(keyStart, end, (byte) ' ');
        if (keyEnd <= keyStart) return fail("malformed VALUE line", in, start, length);
        int flagsEnd = in.indexOf(keyEnd + 1, end, (byte) ' ');
        if (flagsEnd < 0) return fail("malformed VALUE line", in, start, length);
        int bytesEnd = in.indexOf(flagsEnd + 1, end, (byte) ' ');
        if (bytesEnd < 0) bytesEnd = end;
        long flags = parseNumber(in, keyEnd + 1, flagsEnd);
        long bytes = parseNumber(in, flagsEnd + 1, bytesEnd);
        if (flags < 0 || bytes < 0 || bytes > MAX_VALUE_LENGTH) return fail("malformed VALUE line", in, start, length);

        dataRequest = r;
        dataKey = -1;
        dataLength = (int) bytes;
        dataPosition = 0;
        state = DATA;

        int key = keys.indexOf(in, keyStart, keyEnd - keyStart);
        int position = -1;
        boolean repeated = false;
        if (key >= 0) {
            for (int i = 0; i < r.keyCount; i++) {
                if (r.keys[i] == key) {
                    if (!r.seen[i]) {
                        position = i;
                        break;
                    }
                    repeated = true;
                }
            }
        }
        if (position < 0) {
            r.fail(repeated ? ErrorKind.DUPLICATE_VALUE : ErrorKind.UNEXPECTED_KEY);
            return true;
        }
        r.seen[position] = true;
        r.found++;
        if (flags != 0) r.fail(ErrorKind.WRONG_FLAGS);
        if (bytes != values.size()) {
            r.fail(ErrorKind.WRONG_LENGTH);
            return true;
        }
        dataKey = key;
        check.begin(r, position, key);
        return true;
    }

    private static void serverError(Request r, ByteBuf in, int start, int length) {
        if (r.error == null) r.errorText = in.toString(start, length, StandardCharsets.US_ASCII);
        r.fail(ErrorKind.SERVER_ERROR);
    }

    private static boolean isError(ByteBuf in, int start, int length) {
        return equals(in, start, length, ERROR)
                || (startsWith(in, start, length, ERROR) && in.getByte(start + ERROR.length) == ' ')
                || startsWith(in, start, length, CLIENT_ERROR)
                || startsWith(in, start, length, SERVER_ERROR);
    }

    /** A decimal number in {@code [from, to)}, or -1. */
    private static long parseNumber(ByteBuf in, int from, int to) {
        if (to <= from || to - from > 18) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) return -1;
            value = value * 10 + d;
        }
        return value;
    }

    private static boolean equals(ByteBuf in, int start, int length, byte[] word) {
        return length == word.length && startsWith(in, start, length, word);
    }

    private static boolean startsWith(ByteBuf in, int start, int length, byte[] word) {
        if (length < word.length) return false;
        for (int i = 0; i < word.length; i++) {
            if (in.getByte(start + i) != word[i]) return false;
        }
        return true;
    }

    private boolean fail(String what, ByteBuf in, int start, int length) {
        failure = what + ": \"" + printable(in, start, Math.min(length, 80)) + (length > 80 ? "..." : "") + "\"";
        return false;
    }

    static String printable(ByteBuf in, int start, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = start; i < start + length; i++) {
            int b = in.getByte(i) & 0xff;
            if (b == '\r') sb.append("\\r");
            else if (b == '\n') sb.append("\\n");
            else if (b < 0x20 || b >= 0x7f) sb.append(String.format("\\x%02x", b));
            else sb.append((char) b);
        }
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
