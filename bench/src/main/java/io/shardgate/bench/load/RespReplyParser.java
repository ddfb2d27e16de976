package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Parses RESP2 replies to {@link RedisProtocol}'s requests and verifies them as bytes arrive: a set must be answered
 * {@code +OK}; a {@code GET} with a bulk string holding the key's value (or a nil bulk, a miss); an {@code MGET} with
 * an array of exactly as many elements as keys asked, each the value of the key at its position or nil. An error
 * reply ({@code -...}) fails the request and is a complete reply. Allocates nothing per reply.
 */
public final class RespReplyParser implements ReplyParser {
    static final int MAX_LINE = 2048;

    private static final int LINE = 0;
    private static final int DATA = 1;
    private static final int DATA_END = 2;

    private final ValueCheck check;
    private final ValueSpec values;
    private final Listener listener;
    private final boolean allowMisses;

    private int state = LINE;
    /** For an MGET whose array header has been read: the elements still to come; -1 before the header. */
    private int elementsLeft = -1;
    private int position;
    private int dataLength;
    private int dataPosition;
    /** Whether the value arriving is checked (false when the request already failed on its length). */
    private boolean checking;
    private String failure;

    public RespReplyParser(ValueCheck check, Listener listener, boolean allowMisses) {
        this.check = check;
        this.values = check.values;
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
                        return true;
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
                        if (checking) check.feed(in, in.readerIndex(), n);
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
                        return fail("bulk string of the announced length not followed by CRLF", in, at, 2);
                    }
                    in.skipBytes(2);
                    Request r = listener.current();
                    if (checking) {
                        ErrorKind problem = check.end();
                        if (problem != null) r.fail(problem);
                    }
                    state = LINE;
                    elementDone(r);
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
        byte type = length > 0 ? in.getByte(start) : 0;
        if (type == '-' && elementsLeft < 0) {
            if (r.error == null) r.errorText = in.toString(start, length, StandardCharsets.US_ASCII);
            r.fail(ErrorKind.SERVER_ERROR);
            listener.completed(r);
            return true;
        }
        if (r.kind == Request.SET) {
            if (length == 3 && type == '+' && in.getByte(start + 1) == 'O' && in.getByte(start + 2) == 'K') {
                listener.completed(r);
                return true;
            }
            return fail("unexpected reply to SET", in, start, length);
        }
        boolean multi = r.keyCount > 1;
        if (multi && elementsLeft < 0) {
            if (type != '*') return fail("unexpected reply to MGET", in, start, length);
            long n = number(in, start + 1, start + length);
            if (n != r.keyCount) return fail("MGET of " + r.keyCount + " keys answered with an array of another size", in, start, length);
            elementsLeft = (int) n;
            position = 0;
            return true;
        }
        if (type != '$') return fail(multi ? "unexpected element in an MGET reply" : "unexpected reply to GET", in, start, length);
        if (length == 3 && in.getByte(start + 1) == '-' && in.getByte(start + 2) == '1') { // nil: a miss
            elementDone(r);
            return true;
        }
        long size = number(in, start + 1, start + length);
        if (size < 0 || size > MemcacheReplyParser.MAX_VALUE_LENGTH) return fail("malformed bulk length", in, start, length);
        int at = multi ? position : 0;
        r.seen[at] = true;
        r.found++;
        dataLength = (int) size;
        dataPosition = 0;
        checking = size == values.size();
        if (checking) check.begin(r, at, r.keys[at]);
        else r.fail(ErrorKind.WRONG_LENGTH);
        state = DATA;
        return true;
    }

    /** One value (or nil) of the current request is complete. */
    private void elementDone(Request r) {
        if (r.keyCount > 1) {
            position++;
            if (--elementsLeft > 0) return;
            elementsLeft = -1;
        }
        if (r.found < r.keyCount && !allowMisses) r.fail(ErrorKind.MISSING_VALUE);
        listener.completed(r);
    }

    /** A decimal number in {@code [from, to)}, or -1. */
    private static long number(ByteBuf in, int from, int to) {
        if (to <= from || to - from > 18) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) return -1;
            value = value * 10 + d;
        }
        return value;
    }

    private boolean fail(String what, ByteBuf in, int start, int length) {
        failure = what + ": \"" + MemcacheReplyParser.printable(in, start, Math.min(length, 80)) + (length > 80 ? "..." : "") + "\"";
        return false;
    }
}
