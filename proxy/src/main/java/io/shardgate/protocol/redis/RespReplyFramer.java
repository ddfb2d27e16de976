package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.shardgate.protocol.LargeFrameDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;

/**
 * Finds where each RESP2 reply from a server ends, nested arrays included, and passes it on as a retained slice
 * of what was read. Resumable and allocation-free: the state is where the next element starts and how many
 * elements the open arrays still owe (one counter is enough, since every element of every open array must come
 * before the reply ends). Bulk strings are skipped by their declared length, so they may hold anything.
 */
final class RespReplyFramer extends LargeFrameDecoder {
    /** A status, error or integer line longer than this means the stream is not redis's. */
    static final int MAX_LINE = 1024 * 1024;
    static final long MAX_BULK = Integer.MAX_VALUE - 64;

    /** Where the next element of the current reply starts, from the reader index. */
    private int parsed;
    /** Elements the open arrays of the current reply still owe. */
    private long owed;

    /** Set once the stream was found not to be RESP: everything after is dropped while the link closes. */
    private boolean broken;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            frame(in, out);
        } catch (CorruptedFrameException e) {
            broken = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void frame(ByteBuf in, List<Object> out) {
        awaiting(0);
        for (;;) {
            int frameStart = in.readerIndex();
            int pos = frameStart + parsed;
            int next;
            while ((next = elementEnd(in, pos)) >= 0) {
                pos = next;
                if (owed == 0) break;
            }
            if (next < 0) {
                parsed = pos - frameStart;
                return;
            }
            parsed = 0;
            out.add(in.retainedSlice(frameStart, pos - frameStart));
            in.readerIndex(pos);
        }
    }

    /**
     * Parses the element at {@code pos}: returns where the next element starts, or -1 when it has not all
     * arrived. An array header opens its elements ({@link #owed} grows); any other element settles one owed.
     */
    private int elementEnd(ByteBuf in, int pos) {
        int end = in.writerIndex();
        if (pos >= end) return -1;
        int eol = in.indexOf(pos, Math.min(end, pos + MAX_LINE), (byte) '\n');
        if (eol < 0) {
            if (end - pos >= MAX_LINE) throw new CorruptedFrameException("reply line too long");
            return -1;
        }
        if (eol - pos < 2 || in.getByte(eol - 1) != '\r') throw new CorruptedFrameException("reply line without CRLF");
        byte type = in.getByte(pos);
        int next;
        switch (type) {
            case '+', '-', ':' -> next = eol + 1;
            case '$' -> {
                long n = RespReplies.parseLong(in, pos + 1, eol - 1);
                if (n == -1) {
                    next = eol + 1;
                } else {
                    if (n < 0 || n > MAX_BULK) throw new CorruptedFrameException("bad bulk length from server");
                    long after = (long) eol + 1 + n + 2;
                    if (after > end) {
                        awaiting(after - end); // a large bulk is put together without copying
                        return -1;
                    }
                    if (in.getByte((int) after - 2) != '\r' || in.getByte((int) after - 1) != '\n') {
                        throw new CorruptedFrameException("bulk from server not followed by CRLF");
                    }
                    next = (int) after;
                }
            }
            case '*' -> {
                long n = RespReplies.parseLong(in, pos + 1, eol - 1);
                if (n < -1 || n > Integer.MAX_VALUE) throw new CorruptedFrameException("bad array length from server");
                if (n > 0) {
                    if (owed > 0) owed--; // the header is an element of the array around it, if any
                    owed += n;
                    return eol + 1;
                }
                next = eol + 1; // empty or null array
            }
            default -> throw new CorruptedFrameException("not a RESP2 reply: type byte 0x"
                    + Integer.toHexString(type & 0xff));
        }
        if (owed > 0) owed--;
        return next;
    }

    /**
     * Where the complete element at {@code pos} of a reply already framed ends, for taking replies apart when
     * merging; -1 if it is not one.
     */
    static int skipElement(ByteBuf buf, int pos, int end) {
        long remaining = 1;
        while (remaining > 0) {
            if (pos >= end) return -1;
            int eol = buf.indexOf(pos, end, (byte) '\n');
            if (eol < 0 || eol - pos < 2) return -1;
            byte type = buf.getByte(pos);
            long n = type == '$' || type == '*' ? RespReplies.parseLong(buf, pos + 1, eol - 1) : 0;
            switch (type) {
                case '+', '-', ':' -> pos = eol + 1;
                case '$' -> pos = n < 0 ? eol + 1 : (int) Math.min(end + 1L, eol + 1 + n + 2);
                case '*' -> {
                    pos = eol + 1;
                    if (n > 0) remaining += n;
                }
                default -> {
                    return -1;
                }
            }
            remaining--;
        }
        return pos <= end ? pos : -1;
    }
}
