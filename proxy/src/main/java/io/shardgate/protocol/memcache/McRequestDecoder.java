package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.shardgate.protocol.LargeFrameDecoder;
import io.shardgate.protocol.LocalReply;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Frames memcached text and meta requests from a client: a command line, and the data block of a storage
 * command. Each line goes to its {@link LineParser} ({@link TextParser} for classic commands, {@link MetaParser}
 * for {@code m?} lines), so nothing malformed reaches a backend. A resumable state machine: each step returns
 * when it needs more bytes and picks up where it stopped. Valid requests come out as {@link McRequest}s and
 * {@link MetaRequest}s holding a retained slice of their bytes; invalid ones as {@link LocalReply}s carrying
 * memcached's error line.
 */
final class McRequestDecoder extends LargeFrameDecoder {
    /** memcached's limit for a command line without its newline, except retrievals, which may name many keys. */
    static final int MAX_LINE = 2048;
    static final int MAX_RETRIEVAL_LINE = 1024 * 1024;

    private static final byte[] GET_SP = ascii("get ");
    private static final byte[] GETS_SP = ascii("gets ");
    private static final byte[] GAT_SP = ascii("gat ");
    private static final byte[] GATS_SP = ascii("gats ");

    private enum State { LINE, DATA, SWALLOW, BROKEN }

    private final TextParser text;
    private final MetaParser meta;
    private State state = State.LINE;
    /** How much of the current line was already searched for its newline, so a slow line is scanned once. */
    private int scanned;
    /** A storage line waiting for its data block: the parser holding it, and the line's length. */
    private LineParser awaitingData;
    private int awaitingLineLength;
    private long swallowRemaining;
    /** Token start and end offsets of the current line; grows for long multi-key retrievals. */
    private int[] tokens = new int[32];
    private int tokenCount;

    McRequestDecoder(int maxValueBytes) {
        this.text = new TextParser(maxValueBytes);
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
            if (lineSoFar > lineLimit(in, start, start + readable)) brokenStream(in, out, McReplies.of(McReplies.LINE_TOO_LONG));
            return false;
        }
        scanned = 0;
        int lineLength = eol + 1 - start;
        int lineEnd = eol > start && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        if (lineEnd - start > lineLimit(in, start, lineEnd)) {
            brokenStream(in, out, McReplies.of(McReplies.LINE_TOO_LONG));
            return true;
        }
        tokenize(in, start, lineEnd);
        if (tokenCount == 0) {
            in.skipBytes(lineLength);
            out.add(LocalReply.of(McReplies.of(McReplies.ERROR)));
            return true;
        }
        LineParser parser = MetaParser.isMeta(in, tokens[0], tokens[1]) ? meta : text;
        switch (parser.parse(in, start, tokens, tokenCount)) {
            case REQUEST -> {
                if (parser.dataLength >= 0) {
                    awaitingData = parser;
                    awaitingLineLength = lineLength;
                    state = State.DATA;
                } else {
                    out.add(parser.request(take(in, lineLength), lineLength));
                }
            }
            case SKIP -> in.skipBytes(lineLength);
            case REPLY -> {
                in.skipBytes(lineLength);
                out.add(LocalReply.of(parser.reply));
            }
            case REPLY_AND_SWALLOW -> {
                in.skipBytes(lineLength);
                out.add(LocalReply.of(parser.reply));
                swallowRemaining = parser.swallow;
                state = State.SWALLOW;
            }
            case REPLY_AND_CLOSE -> brokenStream(in, out, parser.reply);
        }
        return true;
    }

    private boolean decodeData(ByteBuf in, List<Object> out) {
        int frameLength = awaitingLineLength + awaitingData.dataLength + 2;
        if (in.readableBytes() < frameLength) {
            awaiting(frameLength - in.readableBytes()); // a large value is put together without copying
            return false;
        }
        int dataEnd = in.readerIndex() + frameLength - 2;
        if (in.getByte(dataEnd) != '\r' || in.getByte(dataEnd + 1) != '\n') {
            brokenStream(in, out, McReplies.of(McReplies.BAD_DATA_CHUNK));
            return true;
        }
        state = State.LINE;
        out.add(awaitingData.request(take(in, frameLength), awaitingLineLength));
        awaitingData = null;
        return true;
    }

    /** The next {@code length} bytes as a frame of their own, consumed from {@code in}. */
    private static ByteBuf take(ByteBuf in, int length) {
        ByteBuf frame = in.retainedSlice(in.readerIndex(), length);
        in.skipBytes(length);
        return frame;
    }

    /** Answers, then ignores everything else this client sends: the session closes the connection. */
    private void brokenStream(ByteBuf in, List<Object> out, ByteBuf reply) {
        in.skipBytes(in.readableBytes());
        out.add(LocalReply.fatal(reply));
        state = State.BROKEN;
    }

    private static int lineLimit(ByteBuf in, int start, int end) {
        boolean retrieval = Ascii.startsWith(in, start, end, GET_SP) || Ascii.startsWith(in, start, end, GETS_SP)
                || Ascii.startsWith(in, start, end, GAT_SP) || Ascii.startsWith(in, start, end, GATS_SP);
        return retrieval ? MAX_RETRIEVAL_LINE : MAX_LINE;
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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
