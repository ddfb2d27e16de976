package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Finds where each memcached reply ends, without looking at more than it must. A retrieval's reply is any
 * number of {@code VALUE} entries (line plus data block) up to {@code END}; a meta {@code VA} reply is a line
 * plus data block; a reply the proxy bracketed with {@code mn} runs from {@code MN} to {@code MN}; every other
 * reply is one line. The data blocks are skipped by their declared length, so a
 * value may hold anything, {@code \r\nEND\r\n} included. Each frame leaves as a retained slice of what was read.
 */
final class McReplyFramer extends ByteToMessageDecoder {
    /** A reply line longer than this means the stream is not memcached's; the connection is dropped. */
    static final int MAX_REPLY_LINE = 8192;

    private static final byte[] VALUE = "VALUE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VA = "VA ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MN = "MN".getBytes(StandardCharsets.US_ASCII);

    /** How far into the current frame the entries before this point were already checked complete. */
    private int parsed;
    /**
     * The current frame opened with {@code MN}: it runs to the next {@code MN}. Clients' own {@code mn} are
     * answered by the proxy, so an {@code MN} from a server is always one of the pair the proxy sent around a
     * request whose replies it can't predict (see {@link MetaRequest.Quiet#BRACKETED}).
     */
    private boolean bracketed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            int frameStart = in.readerIndex();
            int end = in.writerIndex();
            int pos = frameStart + parsed;
            int frameEnd = -1;
            while (frameEnd < 0) {
                int eol = in.indexOf(pos, end, (byte) '\n');
                if (eol < 0) {
                    if (end - pos > MAX_REPLY_LINE) throw new CorruptedFrameException("reply line too long");
                    parsed = pos - frameStart;
                    return;
                }
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
                    // END closes a retrieval; any other line is a reply on its own, or an error ending one.
                    frameEnd = eol + 1;
                }
            }
            parsed = 0;
            bracketed = false;
            out.add(in.retainedSlice(frameStart, frameEnd - frameStart));
            in.readerIndex(frameEnd);
        }
    }

    /**
     * Skips the data block announced by a {@code VALUE} or {@code VA} line whose length is token
     * {@code lengthToken} (1-based after the command). Returns where the next line starts, or -1 if the block
     * has not fully arrived.
     */
    private static int skipData(ByteBuf in, int lineStart, int lineEnd, int eol, int lengthToken) {
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
        if (next > in.writerIndex()) return -1;
        int dataEnd = (int) next - 2;
        if (in.getByte(dataEnd) != '\r' || in.getByte(dataEnd + 1) != '\n') {
            throw new CorruptedFrameException("value from server not followed by \\r\\n");
        }
        return (int) next;
    }

    static boolean isEnd(ByteBuf in, int start, int end) {
        return Ascii.equals(in, start, end, END);
    }
}
