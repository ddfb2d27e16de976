package io.shardgate.protocol.memcache;

import io.shardgate.protocol.LocalReply;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.shardgate.protocol.LargeFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Frames and validates memcached text and meta requests from a client, so that nothing malformed reaches a
 * backend. Meta lines ({@code m?}) are checked by {@link MetaParser} and come out as {@link MetaRequest}s.
 * A resumable state machine: each step returns when it needs more bytes and picks up where it stopped. Valid
 * requests come out as {@link McRequest}s holding a retained slice of their bytes; invalid ones as
 * {@link LocalReply}s carrying memcached's error line.
 */
final class McRequestDecoder extends LargeFrameDecoder {
    /** memcached's limit for a command line without its newline, except retrievals, which may name many keys. */
    static final int MAX_LINE = 2048;
    static final int MAX_RETRIEVAL_LINE = 1024 * 1024;
    static final int MAX_KEY_LENGTH = 250;

    private static final byte[] NOREPLY = ascii("noreply");
    private static final int[] NO_KEYS = new int[0];
    private static final byte[] ZERO = ascii("0");
    /** memcached 1.6's server commands that a proxy cannot sensibly serve for a pool of servers. */
    private static final List<String> UNSUPPORTED = List.of("cache_memlimit", "shutdown", "lru_crawler", "slabs",
            "watch", "lru", "misbehave", "debugtime", "extstore", "version_info");

    private enum State { LINE, DATA, SWALLOW, BROKEN }

    private final int maxValueBytes;
    private final McRequest.Pool requests = new McRequest.Pool();
    /** Key offsets of the retrieval being decoded, reused; one grown for a huge get is dropped after it. */
    private int[] keyScratch = new int[32];
    private final MetaParser meta;
    private State state = State.LINE;
    /** How much of the current line was already searched for its newline, so a slow line is scanned once. */
    private int scanned;
    /** A storage command waiting for its data block. */
    private McCommand pendingCommand;
    /** An ms waiting for its data block (then pendingCommand is null). */
    private MetaRequest.Command pendingMeta;
    private int pendingMetaKeyOffset;
    private byte[] pendingMetaBinaryKey;
    private MetaRequest.Quiet pendingMetaQuiet;
    private int pendingMetaQuietOffset;
    private int pendingMetaQuietLength;
    private int pendingLineLength;
    private int pendingDataLength;
    private boolean pendingNoreply;
    private int pendingKeyOffset;
    private int pendingKeyLength;
    private long swallowRemaining;
    /** Token start and end offsets of the current line; grows for long multi-key retrievals. */
    private int[] tokens = new int[32];
    private int tokenCount;

    McRequestDecoder(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
        this.meta = new MetaParser(maxValueBytes);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        awaiting(0);
        for (;;) {
            switch (state) {
                case LINE -> {
                    if (!decodeLine(in, out)) return;
                }
                case DATA -> {
                    if (!decodeData(in, out)) return;
                }
                case SWALLOW -> {
                    int n = (int) Math.min(in.readableBytes(), swallowRemaining);
                    in.skipBytes(n);
                    swallowRemaining -= n;
                    if (swallowRemaining > 0) return;
                    state = State.LINE;
                }
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
            }
        }
    }

    /** Returns false when more bytes are needed. */
    private boolean decodeLine(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable == 0) return false;
        int eol = in.indexOf(start + scanned, start + readable, (byte) '\n');
        if (eol < 0) {
            scanned = readable;
            // a CR last may be the terminator's, which the limit does not count once the LF is in
            int lineSoFar = in.getByte(start + readable - 1) == '\r' ? readable - 1 : readable;
            if (lineSoFar > lineLimit(in, start, start + readable)) brokenStream(in, out, McReplies.LINE_TOO_LONG);
            return false;
        }
        scanned = 0;
        int lineLength = eol + 1 - start;
        int lineEnd = eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        if (lineEnd - start > lineLimit(in, start, lineEnd)) {
            brokenStream(in, out, McReplies.LINE_TOO_LONG);
            return true;
        }
        tokenize(in, start, lineEnd);
        if (tokenCount == 0) {
            reply(in, lineLength, out, McReplies.ERROR);
            return true;
        }
        if (MetaParser.isMeta(in, tokenStart(0), tokenEnd(0))) {
            meta(in, start, lineLength, out);
            return true;
        }
        McCommand command = lookup(in);
        if (command == null) {
            handleOther(in, start, lineLength, out);
            return true;
        }
        switch (command.kind) {
            case RETRIEVAL -> retrieval(command, in, start, lineLength, out);
            case STORAGE -> storage(command, in, start, lineLength, out);
            case ARITHMETIC -> arithmetic(command, in, start, lineLength, out);
            case DELETE -> delete(in, start, lineLength, out);
            case TOUCH -> touch(in, start, lineLength, out);
            // memcached 1.6 ignores whatever follows version and quit
            case LOCAL -> emit(command, in, start, lineLength, false, NO_KEYS, 0, 0, 0, out);
            case ADMIN -> admin(command, in, start, lineLength, out);
        }
        return true;
    }

    /** flush_all, stats and verbosity, validated as memcached 1.6 validates them. */
    private void admin(McCommand command, ByteBuf in, int start, int lineLength, List<Object> out) {
        switch (command) {
            case FLUSH_ALL -> flushAll(in, start, lineLength, out);
            case STATS -> stats(in, start, lineLength, out);
            case VERBOSITY -> verbosity(in, lineLength, out);
            default -> throw new IllegalStateException("not an admin command: " + command);
        }
    }

    /** {@code flush_all [delay] [noreply]}: like memcached, only the last token can be noreply. */
    private void flushAll(ByteBuf in, int start, int lineLength, List<Object> out) {
        if (tokenCount > 3) {
            reply(in, lineLength, out, McReplies.ERROR);
            return;
        }
        boolean noreply = tokenCount > 1 && isNoreply(in, tokenCount - 1);
        boolean hasDelay = tokenCount > (noreply ? 2 : 1);
        if (hasDelay && Ascii.parseInt32(in, tokenStart(1), tokenEnd(1)) == Ascii.INVALID) {
            if (noreply) {
                in.skipBytes(lineLength);
            } else {
                replyLine(in, lineLength, out, "CLIENT_ERROR invalid exptime argument");
            }
            return;
        }
        int argOffset = hasDelay ? tokenStart(1) - start : 0;
        int argLength = hasDelay ? tokenEnd(1) - tokenStart(1) : 0;
        emit(McCommand.FLUSH_ALL, in, start, lineLength, noreply, NO_KEYS, 0, argOffset, argLength, out);
    }

    /** {@code stats [group [args]]}: the group, if any, is the request's argument; the protocol answers it. */
    private void stats(ByteBuf in, int start, int lineLength, List<Object> out) {
        if (tokenCount > 1 && isNoreply(in, 1)) { // memcached: stats has no noreply
            reply(in, lineLength, out, McReplies.ERROR);
            return;
        }
        int argOffset = tokenCount > 1 ? tokenStart(1) - start : 0;
        int argLength = tokenCount > 1 ? tokenEnd(tokenCount - 1) - tokenStart(1) : 0;
        emit(McCommand.STATS, in, start, lineLength, false, NO_KEYS, 0, argOffset, argLength, out);
    }

    /**
     * {@code verbosity level [noreply]}: acknowledged, not forwarded, and the proxy's own log level is not a
     * client's to change. Answered here as memcached answers it, noreply included.
     */
    private void verbosity(ByteBuf in, int lineLength, List<Object> out) {
        if (tokenCount < 2 || tokenCount > 3) {
            reply(in, lineLength, out, McReplies.ERROR);
            return;
        }
        boolean noreply = isNoreply(in, tokenCount - 1);
        boolean valid = Ascii.parseUnsigned(in, tokenStart(1), tokenEnd(1), Long.MAX_VALUE) != Ascii.INVALID;
        if (noreply) {
            in.skipBytes(lineLength);
        } else {
            reply(in, lineLength, out, valid ? McReplies.OK : McReplies.BAD_FORMAT);
        }
    }

    private int lineLimit(ByteBuf in, int start, int end) {
        return isRetrievalPrefix(in, start, end) ? MAX_RETRIEVAL_LINE : MAX_LINE;
    }

    private static boolean isRetrievalPrefix(ByteBuf in, int start, int end) {
        return Ascii.startsWith(in, start, end, GET_SP) || Ascii.startsWith(in, start, end, GETS_SP)
                || Ascii.startsWith(in, start, end, GAT_SP) || Ascii.startsWith(in, start, end, GATS_SP);
    }

    private static final byte[] GET_SP = ascii("get ");
    private static final byte[] GETS_SP = ascii("gets ");
    private static final byte[] GAT_SP = ascii("gat ");
    private static final byte[] GATS_SP = ascii("gats ");

    private void retrieval(McCommand command, ByteBuf in, int start, int lineLength, List<Object> out) {
        int firstKey = command.touchesOnRetrieval() ? 2 : 1;
        if (tokenCount <= firstKey) {
            reply(in, lineLength, out, McReplies.ERROR); // memcached answers a get without keys with ERROR
            return;
        }
        int argOffset = 0;
        int argLength = 0;
        if (command.touchesOnRetrieval()) {
            if (Ascii.parseInt32(in, tokenStart(1), tokenEnd(1)) == Ascii.INVALID) {
                replyLine(in, lineLength, out, "CLIENT_ERROR invalid exptime argument");
                return;
            }
            argOffset = tokenStart(1) - start;
            argLength = tokenEnd(1) - tokenStart(1);
        }
        int keyCount = tokenCount - firstKey;
        if (keyCount == 1) { // the common case, without an array
            if (!validKey(in, firstKey)) {
                reply(in, lineLength, out, McReplies.BAD_FORMAT);
                return;
            }
            emitOne(command, in, start, lineLength, false, tokenStart(firstKey) - start,
                    tokenEnd(firstKey) - tokenStart(firstKey), argOffset, argLength, out);
            return;
        }
        if (keyScratch.length < keyCount * 2) keyScratch = new int[keyCount * 2];
        int[] keys = keyScratch; // the request copies what it needs
        for (int k = 0; k < keyCount; k++) {
            int t = firstKey + k;
            if (!validKey(in, t)) {
                reply(in, lineLength, out, McReplies.BAD_FORMAT);
                return;
            }
            keys[2 * k] = tokenStart(t) - start;
            keys[2 * k + 1] = tokenEnd(t) - tokenStart(t);
        }
        emit(command, in, start, lineLength, false, keys, keyCount, argOffset, argLength, out);
        if (keyScratch.length > 2048) keyScratch = new int[32]; // a huge get's offsets are not kept
    }

    private void storage(McCommand command, ByteBuf in, int start, int lineLength, List<Object> out) {
        int expected = command == McCommand.CAS ? 6 : 5;
        long length = tokenCount >= 5 ? Ascii.parseUnsigned(in, tokenStart(4), tokenEnd(4), Integer.MAX_VALUE - 2) : Ascii.INVALID;
        if (length == Ascii.INVALID) {
            // Without a length the data block can't be found: the stream can't be resynchronised.
            brokenStream(in, out, McReplies.BAD_FORMAT);
            return;
        }
        boolean noreply = tokenCount == expected + 1 && isNoreply(in, expected);
        boolean valid = (tokenCount == expected || noreply)
                && validKey(in, 1)
                && Ascii.parseUnsigned(in, tokenStart(2), tokenEnd(2), 0xFFFF_FFFFL) != Ascii.INVALID
                && Ascii.parseInt32(in, tokenStart(3), tokenEnd(3)) != Ascii.INVALID
                && (command != McCommand.CAS || Ascii.isUnsigned64(in, tokenStart(5), tokenEnd(5)));
        if (!valid) {
            // Unlike memcached, skip the data block too, so client data is never read as commands.
            swallowAfter(in, lineLength, length + 2, out, McReplies.BAD_FORMAT);
            return;
        }
        if (length > maxValueBytes) {
            swallowAfter(in, lineLength, length + 2, out, McReplies.TOO_LARGE);
            return;
        }
        pendingCommand = command;
        pendingLineLength = lineLength;
        pendingDataLength = (int) length;
        pendingNoreply = noreply;
        pendingKeyOffset = tokenStart(1) - start;
        pendingKeyLength = tokenEnd(1) - tokenStart(1);
        state = State.DATA;
    }

    private boolean decodeData(ByteBuf in, List<Object> out) {
        int frameLength = pendingLineLength + pendingDataLength + 2;
        if (in.readableBytes() < frameLength) {
            awaiting(frameLength - in.readableBytes()); // a large value is put together without copying
            return false;
        }
        int start = in.readerIndex();
        int dataEnd = start + pendingLineLength + pendingDataLength;
        if (in.getByte(dataEnd) != '\r' || in.getByte(dataEnd + 1) != '\n') {
            brokenStream(in, out, McReplies.BAD_DATA_CHUNK);
            return true;
        }
        state = State.LINE;
        if (pendingCommand == null) {
            ByteBuf frame = in.retainedSlice(start, frameLength);
            in.skipBytes(frameLength);
            // (an ms reply's k is always base64 for b: memcached marks the item it stores as having a binary key)
            out.add(new MetaRequest(pendingMeta, frame, pendingLineLength, pendingMetaKeyOffset, pendingKeyLength,
                    pendingMetaBinaryKey, null, pendingMetaQuiet, pendingMetaQuietOffset, pendingMetaQuietLength));
            pendingMetaBinaryKey = null;
            return true;
        }
        emitOne(pendingCommand, in, start, frameLength, pendingNoreply, pendingKeyOffset, pendingKeyLength, 0, 0, out);
        return true;
    }

    /** A meta command line: forwarded, waiting for an ms data block, or answered here. */
    private void meta(ByteBuf in, int start, int lineLength, List<Object> out) {
        switch (meta.parse(in, start, tokens, tokenCount)) {
            case REQUEST -> {
                if (meta.dataLength >= 0) {
                    pendingCommand = null;
                    pendingMeta = meta.command;
                    pendingLineLength = lineLength;
                    pendingDataLength = meta.dataLength;
                    pendingMetaKeyOffset = meta.keyOffset;
                    pendingKeyLength = meta.keyLength;
                    pendingMetaBinaryKey = meta.binaryKey;
                    pendingMetaQuiet = meta.quiet;
                    pendingMetaQuietOffset = meta.quietOffset;
                    pendingMetaQuietLength = meta.quietLength;
                    state = State.DATA;
                    return;
                }
                ByteBuf frame = in.retainedSlice(start, lineLength);
                in.skipBytes(lineLength);
                out.add(new MetaRequest(meta.command, frame, lineLength, meta.keyOffset, meta.keyLength,
                        meta.binaryKey, meta.rawKeyInReply, meta.quiet, meta.quietOffset, meta.quietLength));
            }
            case REPLY -> {
                in.skipBytes(lineLength);
                out.add(LocalReply.of(meta.reply));
            }
            case REPLY_AND_SWALLOW -> {
                in.skipBytes(lineLength);
                out.add(LocalReply.of(meta.reply));
                swallowRemaining = meta.swallow;
                state = State.SWALLOW;
            }
            case REPLY_AND_CLOSE -> {
                in.skipBytes(in.readableBytes());
                out.add(LocalReply.fatal(meta.reply));
                state = State.BROKEN;
            }
        }
    }

    private void arithmetic(McCommand command, ByteBuf in, int start, int lineLength, List<Object> out) {
        boolean noreply = tokenCount == 4 && isNoreply(in, 3);
        if ((tokenCount != 3 && !noreply) || !validKey(in, 1)) {
            reply(in, lineLength, out, tokenCount < 3 ? McReplies.ERROR : McReplies.BAD_FORMAT);
            return;
        }
        if (!Ascii.isUnsigned64(in, tokenStart(2), tokenEnd(2))) {
            reply(in, lineLength, out, McReplies.INVALID_DELTA);
            return;
        }
        emitSingleKey(command, in, start, lineLength, noreply, out);
    }

    private void delete(ByteBuf in, int start, int lineLength, List<Object> out) {
        if (tokenCount < 2 || tokenCount > 4 || !validKey(in, 1)) {
            reply(in, lineLength, out, tokenCount < 2 ? McReplies.ERROR : McReplies.BAD_FORMAT);
            return;
        }
        boolean noreply = false;
        if (tokenCount > 2) {
            boolean holdIsZero = Ascii.equals(in, tokenStart(2), tokenEnd(2), ZERO);
            noreply = isNoreply(in, tokenCount - 1);
            boolean valid = (tokenCount == 3 && (holdIsZero || noreply)) || (tokenCount == 4 && holdIsZero && noreply);
            if (!valid) {
                reply(in, lineLength, out, McReplies.BAD_DELETE);
                return;
            }
        }
        emitSingleKey(McCommand.DELETE, in, start, lineLength, noreply, out);
    }

    private void touch(ByteBuf in, int start, int lineLength, List<Object> out) {
        boolean noreply = tokenCount == 4 && isNoreply(in, 3);
        if ((tokenCount != 3 && !noreply) || !validKey(in, 1)) {
            reply(in, lineLength, out, tokenCount < 3 ? McReplies.ERROR : McReplies.BAD_FORMAT);
            return;
        }
        if (Ascii.parseInt32(in, tokenStart(2), tokenEnd(2)) == Ascii.INVALID) {
            replyLine(in, lineLength, out, "CLIENT_ERROR invalid exptime argument");
            return;
        }
        emitSingleKey(McCommand.TOUCH, in, start, lineLength, noreply, out);
    }

    /** Commands the proxy does not forward: known ones get a reason, unknown ones memcached's ERROR. */
    private void handleOther(ByteBuf in, int start, int lineLength, List<Object> out) {
        String name = in.toString(tokenStart(0), tokenEnd(0) - tokenStart(0), StandardCharsets.US_ASCII);
        if (UNSUPPORTED.contains(name)) {
            replyLine(in, lineLength, out, "CLIENT_ERROR " + name + " is not supported by shardgate");
        } else {
            reply(in, lineLength, out, McReplies.ERROR);
        }
    }

    // ---- helpers ----

    private void emitSingleKey(McCommand command, ByteBuf in, int start, int lineLength, boolean noreply, List<Object> out) {
        emitOne(command, in, start, lineLength, noreply, tokenStart(1) - start, tokenEnd(1) - tokenStart(1), 0, 0, out);
    }

    private void emitOne(McCommand command, ByteBuf in, int start, int frameLength, boolean noreply,
            int keyOffset, int keyLength, int argOffset, int argLength, List<Object> out) {
        ByteBuf frame = in.retainedSlice(start, frameLength);
        in.skipBytes(frameLength);
        out.add(requests.single(command, frame, noreply, keyOffset, keyLength, argOffset, argLength));
    }

    private void emit(McCommand command, ByteBuf in, int start, int frameLength, boolean noreply, int[] keys,
            int keyCount, int argOffset, int argLength, List<Object> out) {
        ByteBuf frame = in.retainedSlice(start, frameLength);
        in.skipBytes(frameLength);
        out.add(requests.multi(command, frame, noreply, keys, keyCount, argOffset, argLength));
    }

    private static void reply(ByteBuf in, int lineLength, List<Object> out, ByteBuf constant) {
        in.skipBytes(lineLength);
        out.add(LocalReply.of(McReplies.of(constant)));
    }

    private static void replyLine(ByteBuf in, int lineLength, List<Object> out, String line) {
        in.skipBytes(lineLength);
        out.add(LocalReply.of(McReplies.clientErrorLine(line)));
    }

    private void swallowAfter(ByteBuf in, int lineLength, long swallow, List<Object> out, ByteBuf constant) {
        reply(in, lineLength, out, constant);
        swallowRemaining = swallow;
        state = State.SWALLOW;
    }

    /** Answers, then ignores everything else this client sends: the session closes the connection. */
    private void brokenStream(ByteBuf in, List<Object> out, ByteBuf constant) {
        in.skipBytes(in.readableBytes());
        out.add(LocalReply.fatal(McReplies.of(constant)));
        state = State.BROKEN;
    }

    private void tokenize(ByteBuf in, int start, int end) {
        tokenCount = 0;
        int i = start;
        while (i < end) {
            while (i < end && in.getByte(i) == ' ') i++;
            if (i >= end) break;
            int tokenStart = i;
            while (i < end && in.getByte(i) != ' ') i++;
            if (2 * tokenCount + 2 > tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
            tokens[2 * tokenCount] = tokenStart;
            tokens[2 * tokenCount + 1] = i;
            tokenCount++;
        }
    }

    private int tokenStart(int t) {
        return tokens[2 * t];
    }

    private int tokenEnd(int t) {
        return tokens[2 * t + 1];
    }

    private McCommand lookup(ByteBuf in) {
        for (McCommand command : COMMANDS) {
            if (Ascii.equals(in, tokenStart(0), tokenEnd(0), command.name)) return command;
        }
        return null;
    }

    private static final McCommand[] COMMANDS = McCommand.values();

    private boolean isNoreply(ByteBuf in, int t) {
        return Ascii.equals(in, tokenStart(t), tokenEnd(t), NOREPLY);
    }

    /** 1 to 250 bytes, none of them a control character (spaces can't occur: they separate tokens). */
    private boolean validKey(ByteBuf in, int t) {
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
