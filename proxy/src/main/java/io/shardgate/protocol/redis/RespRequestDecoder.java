package io.shardgate.protocol.redis;

import io.shardgate.protocol.LocalReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.shardgate.protocol.LargeFrameDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * Frames RESP2 requests from one client: multi-bulk ({@code *<n>\r\n$<len>\r\n...}) and inline commands. A
 * resumable state machine: a request is parsed once, however its bytes arrive, and nothing is read into memory
 * beyond what the client actually sent (a declared length is checked, never allocated).
 *
 * <p>Each framed request goes to the connection's {@link RedisValidator} and comes out as a {@link RedisRequest}
 * holding a retained slice of its bytes, or as a {@link LocalReply}: a command the proxy answers itself, a
 * refusal, or a protocol error (after which the client is disconnected, as by redis).
 */
final class RespRequestDecoder extends LargeFrameDecoder {
    /** A {@code *<n>} or {@code $<len>} line, CRLF included, is never longer than this. */
    static final int MAX_HEADER = 24;
    private static final int UNSET = -1;

    private enum Phase { START, BULK_HEADER, BULK_DATA, DISCARD }

    private final RedisLimits limits;
    private final RedisValidator validator;
    private final RespArgs view = new RespArgs();

    private Phase phase = Phase.START;
    /** Bytes of the current request already parsed, from the reader index (which stays at the request's start). */
    private int parsed;
    /** How far an inline line was already searched for its newline. */
    private int scanned;
    private int argc;
    private int argi;
    private int[] args = new int[16];
    private final RedisRequest.Pool requests = new RedisRequest.Pool();
    private int bulkLength;

    RespRequestDecoder(RedisLimits limits, byte[] password, String version) {
        this.limits = limits;
        this.validator = new RedisValidator(new RedisLocalCommands(password, version));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBufAllocator alloc = ctx.alloc();
        awaiting(0);
        for (;;) {
            boolean progressed = switch (phase) {
                case START -> start(alloc, in, out);
                case BULK_HEADER -> bulkHeader(alloc, in, out);
                case BULK_DATA -> bulkData(alloc, in, out);
                case DISCARD -> {
                    in.skipBytes(in.readableBytes());
                    yield false;
                }
            };
            if (!progressed) return;
        }
    }

    // ---- framing ----

    private boolean start(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) return false;
        return in.getByte(in.readerIndex()) == '*' ? arrayHeader(alloc, in, out) : inline(alloc, in, out);
    }

    private boolean arrayHeader(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int eol = headerEnd(in, start);
        if (eol == UNSET) return false;
        long n = eol < 0 ? Long.MIN_VALUE : RespReplies.parseLong(in, start + 1, eol - 1);
        if (n == Long.MIN_VALUE || n > limits.maxArrayLength()) {
            return protocolError(alloc, in, out, "invalid multibulk length");
        }
        if (n < -1) return protocolError(alloc, in, out, "invalid multibulk length");
        if (n <= 0) { // redis ignores an empty or null array
            in.readerIndex(eol + 1);
            return true;
        }
        argc = (int) n;
        argi = 0;
        parsed = eol + 1 - start;
        phase = Phase.BULK_HEADER;
        return true;
    }

    private boolean bulkHeader(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int pos = start + parsed;
        if (pos >= in.writerIndex()) return false;
        byte type = in.getByte(pos);
        if (type != '$') {
            return protocolError(alloc, in, out, "expected '$', got '" + printable(type) + "'");
        }
        int eol = headerEnd(in, pos);
        if (eol == UNSET) return false;
        long n = eol < 0 ? Long.MIN_VALUE : RespReplies.parseLong(in, pos + 1, eol - 1);
        if (n < 0 || n > limits.maxBulkBytes()) return protocolError(alloc, in, out, "invalid bulk length");
        long total = (long) eol + 1 - start + n + 2 + (long) (argc - argi - 1) * 4;
        if (total > limits.maxRequestBytes()) {
            return protocolError(alloc, in, out, "request larger than " + limits.maxRequestBytes() + " bytes");
        }
        bulkLength = (int) n;
        parsed = eol + 1 - start;
        phase = Phase.BULK_DATA;
        return true;
    }

    private boolean bulkData(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int dataStart = start + parsed;
        long missing = (long) dataStart + bulkLength + 2 - in.writerIndex();
        if (missing > 0) {
            awaiting(missing); // a large argument is put together without copying
            return false;
        }
        int dataEnd = dataStart + bulkLength;
        if (in.getByte(dataEnd) != '\r' || in.getByte(dataEnd + 1) != '\n') {
            return protocolError(alloc, in, out, "bulk data not followed by CRLF");
        }
        if (2 * argi + 2 > args.length) args = Arrays.copyOf(args, Math.max(args.length * 2, 2 * argi + 2));
        args[2 * argi] = parsed;
        args[2 * argi + 1] = bulkLength;
        argi++;
        parsed += bulkLength + 2;
        if (argi < argc) {
            phase = Phase.BULK_HEADER;
            return true;
        }
        int length = parsed;
        phase = Phase.START;
        parsed = 0;
        request(alloc, in, start, length, false, out);
        in.readerIndex(start + length);
        return true;
    }

    /**
     * Where the header line starting at {@code pos} ends (its LF), {@link #UNSET} when it has not all arrived,
     * or {@code -2} when it is malformed (too long, or LF without CR).
     */
    private static int headerEnd(ByteBuf in, int pos) {
        int limit = Math.min(in.writerIndex(), pos + MAX_HEADER);
        int eol = in.indexOf(pos, limit, (byte) '\n');
        if (eol < 0) return limit - pos >= MAX_HEADER ? -2 : UNSET;
        if (eol - pos < 2 || in.getByte(eol - 1) != '\r') return -2;
        return eol;
    }

    /** A telnet-style command line: arguments split on blanks, with redis's quoting; rebuilt as RESP. */
    private boolean inline(ByteBufAllocator alloc, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int eol = in.indexOf(start + scanned, end, (byte) '\n');
        if (eol < 0) {
            scanned = end - start;
            if (end - start > limits.maxInlineBytes()) return protocolError(alloc, in, out, "too big inline request");
            return false;
        }
        scanned = 0;
        if (eol - start > limits.maxInlineBytes()) return protocolError(alloc, in, out, "too big inline request");
        int lineEnd = eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        if (lineEnd == start) {
            // redis ignores a bare newline, but no client sends one: it is a stream out of step (nutcracker closes)
            return protocolError(alloc, in, out, "empty request line");
        }
        List<byte[]> words = InlineSplitter.split(in, start, lineEnd);
        if (words == null) return protocolError(alloc, in, out, "unbalanced quotes in request");
        in.readerIndex(eol + 1);
        if (words.isEmpty()) return true; // redis ignores empty lines
        ByteBuf frame = alloc.buffer(16 + words.size() * 16 + lineEnd - start);
        frame.writeByte('*');
        RespReplies.writeDecimal(frame, words.size());
        frame.writeByte('\r').writeByte('\n');
        argc = words.size();
        if (2 * argc > args.length) args = Arrays.copyOf(args, 2 * argc);
        for (int i = 0; i < argc; i++) {
            byte[] word = words.get(i);
            frame.writeByte('$');
            RespReplies.writeDecimal(frame, word.length);
            frame.writeByte('\r').writeByte('\n');
            args[2 * i] = frame.writerIndex();
            args[2 * i + 1] = word.length;
            frame.writeBytes(word).writeByte('\r').writeByte('\n');
        }
        request(alloc, frame, 0, frame.readableBytes(), true, out);
        return true;
    }

    private boolean protocolError(ByteBufAllocator alloc, ByteBuf in, List<Object> out, String what) {
        in.skipBytes(in.readableBytes());
        out.add(LocalReply.fatal(RespReplies.error(alloc, "ERR Protocol error: " + what)));
        phase = Phase.DISCARD;
        return false;
    }

    // ---- one complete request: argc arguments at args, relative to start ----

    /**
     * Validates the request in {@code buf} at [start, start + length) and emits it. {@code owned}: the buffer was
     * built for this request (an inline command) and is handed over or released here.
     */
    private void request(ByteBufAllocator alloc, ByteBuf buf, int start, int length, boolean owned, List<Object> out) {
        int shift = owned ? 0 : start; // the spans are relative to start; the validator reads them in buf
        for (int i = 0; i < argc; i++) args[2 * i] += shift;
        LocalReply local;
        try {
            local = validator.validate(alloc, view.of(buf, args, argc));
        } finally {
            for (int i = 0; i < argc; i++) args[2 * i] -= shift;
        }
        if (local != null) {
            if (owned) buf.release();
            out.add(local);
            if (local.after() != LocalReply.After.CONTINUE) phase = Phase.DISCARD;
        } else {
            ByteBuf frame = owned ? buf : buf.retainedSlice(start, length);
            out.add(RedisValidator.request(validator.command(), frame, view.of(frame, args, argc), requests));
        }
        if (args.length > 4096) args = new int[16]; // a huge request's offsets are not kept for the connection's life
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
