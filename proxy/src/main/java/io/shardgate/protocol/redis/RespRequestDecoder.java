package io.shardgate.protocol.redis;

import io.shardgate.protocol.LocalReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.shardgate.protocol.LargeFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Frames and validates RESP2 requests from one client: multi-bulk ({@code *<n>\r\n$<len>\r\n...}) and inline
 * commands. A resumable state machine: a request is parsed once, however its bytes arrive, and nothing is read
 * into memory beyond what the client actually sent (a declared length is checked, never allocated).
 *
 * <p>Each request comes out as a {@link RedisRequest} holding a retained slice of its bytes, or as a
 * {@link LocalReply} the proxy answers itself: PING, ECHO, AUTH, SELECT 0, QUIT, HELLO, refused and unknown
 * commands, wrong arities, and protocol errors (after which the client is disconnected, as by redis). The
 * client's authentication state lives here, since requests are decoded in the order they are answered.
 */
final class RespRequestDecoder extends LargeFrameDecoder {
    /** A {@code *<n>} or {@code $<len>} line, CRLF included, is never longer than this. */
    static final int MAX_HEADER = 24;
    private static final int UNSET = -1;

    private enum Phase { START, BULK_HEADER, BULK_DATA, DISCARD }

    private final RedisLimits limits;
    /** The pool's redis_auth password, or null. */
    private final byte[] password;
    private final String version;
    private boolean authenticated;

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
    /** The command of the request being validated. */
    private RedisCommand validated;

    RespRequestDecoder(RedisLimits limits, byte[] password, String version) {
        this.limits = limits;
        this.password = password;
        this.version = version;
        this.authenticated = password == null;
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
        LocalReply local = validate(alloc, buf, start, owned);
        if (local != null) {
            if (args.length > 4096) args = new int[16];
            if (owned) buf.release();
            out.add(local);
            if (local.after() != LocalReply.After.CONTINUE) phase = Phase.DISCARD;
            return;
        }
        ByteBuf frame = owned ? buf : buf.retainedSlice(start, length);
        out.add(keys(validated, frame));
        if (args.length > 4096) args = new int[16]; // a huge request's offsets are not kept for the connection's life
    }

    /** A local answer for the request, or null when it is to be forwarded. Offsets are relative to start. */
    private LocalReply validate(ByteBufAllocator alloc, ByteBuf buf, int start, boolean owned) {
        if (!owned) {
            for (int i = 0; i < argc; i++) args[2 * i] += start; // absolute while validating
        }
        try {
            RedisCommand command = RedisCommands.lookup(buf, args[0], args[1]);
            if (command == null) return reply(unknownCommand(alloc, buf));
            validated = command;
            if (!command.arityAccepts(argc)) {
                return command.keyStep > 1 ? pairsOutOfStep(alloc, command) : reply(wrongArity(alloc, command));
            }
            if (!authenticated && command.local != RedisCommand.Local.AUTH && command.local != RedisCommand.Local.QUIT
                    && command.local != RedisCommand.Local.HELLO) {
                return reply(RespReplies.of(RespReplies.NOAUTH));
            }
            return switch (command.kind) {
                case LOCAL -> local(alloc, command, buf);
                case REFUSED -> reply(RespReplies.error(alloc, "ERR '" + command.name
                        + "' is not supported by shardgate: " + command.refusal.reason));
                default -> checkKeys(alloc, command, buf);
            };
        } finally {
            if (!owned) {
                for (int i = 0; i < argc; i++) args[2 * i] -= start;
            }
        }
    }

    private static LocalReply reply(ByteBuf reply) {
        return LocalReply.of(reply);
    }

    private int argOffset(int i) {
        return args[2 * i];
    }

    private int argLength(int i) {
        return args[2 * i + 1];
    }

    private boolean argIs(ByteBuf buf, int i, String word) {
        if (argLength(i) != word.length()) return false;
        int off = argOffset(i);
        for (int k = 0; k < word.length(); k++) {
            if (RedisCommands.lower(buf.getByte(off + k)) != word.charAt(k)) return false;
        }
        return true;
    }

    // ---- keys ----

    /** Key positions of a multi-key command: the numkeys argument, the key/value pairing, XREAD's STREAMS. */
    private LocalReply checkKeys(ByteBufAllocator alloc, RedisCommand command, ByteBuf buf) {
        if (command.numkeysAt > 0) {
            long numkeys = RespReplies.parseLong(buf, argOffset(command.numkeysAt),
                    argOffset(command.numkeysAt) + argLength(command.numkeysAt));
            if (numkeys == Long.MIN_VALUE) return reply(RespReplies.of(RespReplies.NOT_AN_INTEGER));
            if (numkeys > argc - command.firstKey) {
                return reply(RespReplies.error(alloc, "ERR Number of keys can't be greater than number of args"));
            }
            if (numkeys < 1) {
                return reply(RespReplies.error(alloc, "ERR '" + command.name + "' without keys is not supported by "
                        + "shardgate: a request is routed by its keys"));
            }
            return null;
        }
        if (command.streams) return checkStreams(alloc, command, buf);
        if (command.keyStep > 1 && command.lastKey < 0 && (argc - command.firstKey) % command.keyStep != 0) {
            return pairsOutOfStep(alloc, command);
        }
        return null;
    }

    /**
     * MSET's arguments come in key-value pairs: a count that breaks them is a stream out of step (nutcracker's
     * parser closes the client for it), not just a wrong argument count.
     */
    private static LocalReply pairsOutOfStep(ByteBufAllocator alloc, RedisCommand command) {
        return LocalReply.fatal(RespReplies.error(alloc, "ERR Protocol error: wrong number of arguments for '"
                + command.name + "' command"));
    }

    /** XREAD [COUNT n] [BLOCK ms] STREAMS key... id..., XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS. */
    private LocalReply checkStreams(ByteBufAllocator alloc, RedisCommand command, ByteBuf buf) {
        int i = 1;
        while (i < argc && !argIs(buf, i, "streams")) {
            if (argIs(buf, i, "block")) {
                return reply(RespReplies.error(alloc, "ERR '" + command.name + "' with BLOCK is not supported by "
                        + "shardgate: " + RedisCommand.Refusal.BLOCKING.reason));
            } else if (argIs(buf, i, "count")) {
                i += 2;
            } else if (argIs(buf, i, "group")) {
                i += 3;
            } else if (argIs(buf, i, "noack")) {
                i += 1;
            } else {
                return reply(RespReplies.of(RespReplies.SYNTAX));
            }
        }
        int rest = argc - i - 1;
        if (i >= argc || rest <= 0 || rest % 2 != 0) {
            return reply(RespReplies.error(alloc, "ERR Unbalanced '" + command.name
                    + "' list of streams: for each stream key an ID or '$' must be specified."));
        }
        return null;
    }

    /** The request with its key positions, once validated. */
    private RedisRequest keys(RedisCommand command, ByteBuf frame) {
        int destKey = -1;
        int first = command.firstKey;
        int end;
        switch (command.kind) {
            case SINGLE -> end = first + 1;
            case ANY_SERVER -> {
                first = 0; // routed by the command name: any server answers the same
                end = 1;
            }
            default -> {
                if (command.numkeysAt > 0) {
                    int at = command.numkeysAt;
                    int numkeys = (int) RespReplies.parseLong(frame, argOffset(at), argOffset(at) + argLength(at));
                    end = first + numkeys;
                    if (command.destKey > 0) destKey = command.destKey;
                } else if (command.streams) {
                    int streams = 1;
                    while (!argIs(frame, streams, "streams")) streams++;
                    first = streams + 1;
                    end = first + (argc - first) / 2;
                } else {
                    end = (command.lastKey < 0 ? argc + command.lastKey : command.lastKey) + 1;
                }
            }
        }
        return requests.take(command, frame, argc, args, destKey, first, end, command.keyStep); // it copies args
    }

    // ---- commands the proxy answers ----

    private LocalReply local(ByteBufAllocator alloc, RedisCommand command, ByteBuf buf) {
        switch (command.local) {
            case PING -> {
                if (argc > 2) return reply(wrongArity(alloc, command));
                return reply(argc == 1 ? RespReplies.of(RespReplies.PONG)
                        : RespReplies.bulk(alloc, buf, argOffset(1), argLength(1)));
            }
            case ECHO -> {
                return reply(RespReplies.bulk(alloc, buf, argOffset(1), argLength(1)));
            }
            case QUIT -> {
                return new LocalReply(RespReplies.of(RespReplies.OK), LocalReply.After.CLOSE);
            }
            case SELECT -> {
                long db = RespReplies.parseLong(buf, argOffset(1), argOffset(1) + argLength(1));
                if (db == Long.MIN_VALUE || db != (int) db) return reply(RespReplies.of(RespReplies.NOT_AN_INTEGER));
                if (db != 0) {
                    return reply(RespReplies.error(alloc, "ERR SELECT " + db + " is not supported by shardgate: "
                            + RedisCommand.Refusal.DATABASE.reason));
                }
                return reply(RespReplies.of(RespReplies.OK));
            }
            case AUTH -> {
                if (argc > 3) return reply(RespReplies.of(RespReplies.SYNTAX));
                return reply(auth(buf, argc == 3 ? 1 : -1, argc - 1));
            }
            case HELLO -> {
                return hello(alloc, buf);
            }
            case CLIENT -> {
                if ((argIs(buf, 1, "setname") && argc == 3) || (argIs(buf, 1, "setinfo") && argc == 4)) {
                    return reply(RespReplies.of(RespReplies.OK)); // a name would apply to shared server connections
                }
                return reply(RespReplies.error(alloc, "ERR 'client " + text(buf, 1, 32).toLowerCase(java.util.Locale.ROOT)
                        + "' is not supported by shardgate: " + RedisCommand.Refusal.ADMIN.reason));
            }
        }
        throw new IllegalStateException("unhandled local command " + command);
    }

    /** Checks a password (and the user, which can only be "default"), updating this client's state. */
    private ByteBuf auth(ByteBuf buf, int userArg, int passwordArg) {
        if (password == null) return RespReplies.of(RespReplies.NO_PASSWORD);
        boolean userOk = userArg < 0 || argIs(buf, userArg, "default");
        boolean ok = userOk && argLength(passwordArg) == password.length;
        for (int i = 0; ok && i < password.length; i++) {
            ok = buf.getByte(argOffset(passwordArg) + i) == password[i];
        }
        if (!ok) {
            authenticated = false;
            return RespReplies.of(RespReplies.WRONGPASS);
        }
        authenticated = true;
        return RespReplies.of(RespReplies.OK);
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only. */
    private LocalReply hello(ByteBufAllocator alloc, ByteBuf buf) {
        int i = 1;
        if (argc > 1) {
            long proto = RespReplies.parseLong(buf, argOffset(1), argOffset(1) + argLength(1));
            if (proto == Long.MIN_VALUE) {
                return reply(RespReplies.error(alloc, "ERR Protocol version is not an integer or out of range"));
            }
            if (proto != 2) {
                return reply(RespReplies.error(alloc, "NOPROTO sorry, this protocol version is not supported: "
                        + "shardgate speaks RESP2 only"));
            }
            i = 2;
        }
        for (; i < argc; i++) {
            if (argIs(buf, i, "auth") && i + 2 < argc) {
                ByteBuf result = auth(buf, i + 1, i + 2);
                if (!authenticated) return reply(result);
                result.release();
                i += 2;
            } else if (argIs(buf, i, "setname") && i + 1 < argc) {
                i += 1;
            } else {
                return reply(RespReplies.error(alloc, "ERR Syntax error in HELLO option '" + text(buf, i, 128) + "'"));
            }
        }
        if (!authenticated) return reply(RespReplies.of(RespReplies.NOAUTH));
        ByteBuf r = alloc.buffer(128);
        r.writeCharSequence("*14\r\n", StandardCharsets.US_ASCII);
        bulk(r, "server");
        bulk(r, "redis");
        bulk(r, "version");
        bulk(r, version);
        bulk(r, "proto");
        r.writeCharSequence(":2\r\n", StandardCharsets.US_ASCII);
        bulk(r, "id");
        r.writeCharSequence(":0\r\n", StandardCharsets.US_ASCII);
        bulk(r, "mode");
        bulk(r, "standalone");
        bulk(r, "role");
        bulk(r, "master");
        bulk(r, "modules");
        r.writeCharSequence("*0\r\n", StandardCharsets.US_ASCII);
        return reply(r);
    }

    private static void bulk(ByteBuf r, String s) {
        r.writeByte('$');
        RespReplies.writeDecimal(r, s.length());
        r.writeByte('\r').writeByte('\n');
        r.writeCharSequence(s, StandardCharsets.ISO_8859_1);
        r.writeByte('\r').writeByte('\n');
    }

    // ---- errors in redis's words ----

    private ByteBuf unknownCommand(ByteBufAllocator alloc, ByteBuf buf) {
        StringBuilder argsText = new StringBuilder();
        for (int i = 1; i < argc && argsText.length() < 128; i++) {
            argsText.append('\'').append(text(buf, i, 128 - argsText.length())).append("' ");
        }
        return RespReplies.error(alloc, "ERR unknown command '" + text(buf, 0, 128)
                + "', with args beginning with: " + argsText);
    }

    private static ByteBuf wrongArity(ByteBufAllocator alloc, RedisCommand command) {
        return RespReplies.error(alloc, "ERR wrong number of arguments for '" + command.name + "' command");
    }

    /** At most {@code max} bytes of an argument, for an error message. */
    private String text(ByteBuf buf, int arg, int max) {
        return buf.toString(argOffset(arg), Math.min(argLength(arg), Math.max(0, max)), StandardCharsets.ISO_8859_1);
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
