package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.Forwarding;
import io.shardgate.protocol.Fragments;
import io.shardgate.protocol.LargeFrameDecoder;
import io.shardgate.protocol.MergedReply;
import io.shardgate.protocol.ReplyWaiter;

/**
 * A split command (MGET, MSET, DEL, UNLINK, EXISTS, TOUCH) whose keys live on several servers: one sub-request
 * per server, not per key, and one reply merged back: MGET's values in the client's key order, the integer
 * counts summed, MSET's {@code +OK} when every part said so. If a part fails, or a server answers with an error,
 * the client gets that for the whole request, as from nutcracker. When every key is on one server, the request
 * goes there as the client sent it.
 */
final class MultiKey extends Fragments {
    private final RedisRequest request;
    private final ReplyWaiter client;
    private final ClientContext context;
    /** How many keys each part has. */
    private final int[] keysInPart;

    private MultiKey(RedisRequest request, ReplyWaiter client, ClientContext context, int[] partOfKey,
            int[] servers) {
        super(request, partOfKey, servers);
        this.request = request;
        this.client = client;
        this.context = context;
        this.keysInPart = new int[servers.length];
        for (int part : partOfKey) keysInPart[part]++;
    }

    /** Builds the parts of a split command whose keys are on several servers. */
    static final Forwarding.Splitter<RedisRequest> SPLITTER = MultiKey::new;

    /** Routes a split command through the core, split per server when its keys are on more than one. Owns {@code request}. */
    static void dispatch(RedisRequest request, ClientContext context) {
        Forwarding.split(request, context, context.nextReply(), SPLITTER);
    }

    /**
     * {@code *<n>\r\n} then the command name as the client spelled it, then this part's keys (and values). A
     * small part is copied into one buffer; in a large one (an MSET of big values) each large argument is a
     * retained slice of the client's request, so a value is never copied on its way through.
     */
    @Override
    protected ByteBuf buildPart(int part) {
        int step = request.keyStep();
        int argc = 1 + keysInPart[part] * step;
        int size = 16 + bulkSize(request.argLength(0));
        for (int k = 0; k < partOfKey.length; k++) {
            if (partOfKey[k] != part) continue;
            for (int j = 0; j < step; j++) size += bulkSize(request.argLength(request.keyArg(k) + j));
        }
        PartWriter out = size <= MergedReply.COPY_LIMIT
                ? new PartWriter(context.alloc(), context.alloc().directBuffer(size), null)
                : new PartWriter(context.alloc(), context.alloc().directBuffer(256),
                        context.alloc().compositeDirectBuffer(2 * argc + 2));
        out.small.writeByte('*');
        RespReplies.writeDecimal(out.small, argc);
        out.small.writeByte('\r').writeByte('\n');
        writeArg(out, 0);
        for (int k = 0; k < partOfKey.length; k++) {
            if (partOfKey[k] != part) continue;
            for (int j = 0; j < step; j++) writeArg(out, request.keyArg(k) + j);
        }
        return out.finish();
    }

    /** A part being written: into {@code small} alone, or, for a large part, into a composite of pieces. */
    private static final class PartWriter {
        private final ByteBufAllocator alloc;
        private final CompositeByteBuf pieces;
        ByteBuf small;

        PartWriter(ByteBufAllocator alloc, ByteBuf small, CompositeByteBuf pieces) {
            this.alloc = alloc;
            this.small = small;
            this.pieces = pieces;
        }

        void append(ByteBuf from, int offset, int length) {
            if (pieces == null || length < LargeFrameDecoder.LARGE) {
                small.writeBytes(from, offset, length);
                return;
            }
            pieces.addComponent(true, small);
            pieces.addComponent(true, from.retainedSlice(offset, length));
            small = alloc.directBuffer(64);
        }

        ByteBuf finish() {
            if (pieces == null) return small;
            pieces.addComponent(true, small);
            return pieces;
        }
    }

    private static int bulkSize(int length) {
        return 1 + RespReplies.decimalLength(length) + 2 + length + 2;
    }

    private void writeArg(PartWriter out, int arg) {
        int length = request.argLength(arg);
        out.small.writeByte('$');
        RespReplies.writeDecimal(out.small, length);
        out.small.writeByte('\r').writeByte('\n');
        out.append(request.frame, request.argOffset(arg), length);
        out.small.writeByte('\r').writeByte('\n');
    }



    @Override
    protected void merge() {
        String failure = firstFailure();
        if (failure != null) {
            client.onFailure(failure);
            return;
        }
        for (ByteBuf reply : replies) {
            if (reply.getByte(reply.readerIndex()) == '-') { // a server's error answers for the whole request
                client.onReply(reply.retainedSlice());
                return;
            }
        }
        switch (request.command.merge) {
            case VALUES -> mergeValues();
            case SUM -> sum();
            case ALL_OK -> allOk();
            default -> throw new IllegalStateException("not a split command: " + request.command);
        }
    }

    private void sum() {
        long total = 0;
        for (ByteBuf reply : replies) {
            int start = reply.readerIndex();
            int end = reply.writerIndex();
            long n = reply.getByte(start) == ':' && end - start >= 4
                    ? RespReplies.parseLong(reply, start + 1, end - 2) : Long.MIN_VALUE;
            if (n == Long.MIN_VALUE) {
                unexpected();
                return;
            }
            total += n;
        }
        client.onReply(RespReplies.integer(context.alloc(), total));
    }

    private void allOk() {
        for (ByteBuf reply : replies) {
            if (!reply.equals(RespReplies.OK)) {
                unexpected();
                return;
            }
        }
        client.onReply(RespReplies.of(RespReplies.OK));
    }

    /**
     * MGET: each part's reply is an array with one element per key of the part, in the part's key order. The
     * merged reply is a new array header followed by the parts' elements in the client's key order, copied or
     * sliced ({@link MergedReply}); keys next to each other on the same part share one piece. Each part's reply
     * is read from its readerIndex, moved past its array header, then past each element taken.
     */
    private void mergeValues() {
        int keyCount = partOfKey.length;
        int headerSize = 1 + RespReplies.decimalLength(keyCount) + 2;
        int size = headerSize;
        for (int p = 0; p < replies.length; p++) {
            ByteBuf reply = replies[p];
            int pos = reply.readerIndex();
            int end = reply.writerIndex();
            int eol = reply.indexOf(pos, end, (byte) '\n');
            long n = reply.getByte(pos) == '*' && eol > pos + 1 ? RespReplies.parseLong(reply, pos + 1, eol - 1) : -1;
            if (n != keysInPart[p]) {
                unexpected();
                return;
            }
            reply.readerIndex(eol + 1);
            size += reply.readableBytes(); // the framer framed exactly the array: its elements are the rest
        }
        ByteBuf merged = MergedReply.allocate(context.alloc(), size, keyCount + 1);
        if (merged instanceof CompositeByteBuf composite) {
            composite.addComponent(true, writeArrayHeader(context.alloc().directBuffer(headerSize), keyCount));
        } else {
            writeArrayHeader(merged, keyCount);
        }
        for (int k = 0; k < keyCount;) {
            int p = partOfKey[k];
            ByteBuf reply = replies[p];
            int start = reply.readerIndex();
            int pos = start;
            do {
                pos = RespReplyFramer.skipElement(reply, pos, reply.writerIndex());
                if (pos < 0) {
                    merged.release();
                    unexpected();
                    return;
                }
                k++;
            } while (k < keyCount && partOfKey[k] == p);
            MergedReply.append(merged, reply, start, pos - start);
            reply.readerIndex(pos);
        }
        client.onReply(merged);
    }

    private static ByteBuf writeArrayHeader(ByteBuf out, int length) {
        out.writeByte('*');
        RespReplies.writeDecimal(out, length);
        return out.writeByte('\r').writeByte('\n');
    }

    private void unexpected() {
        client.onReply(RespReplies.error(context.alloc(), "ERR unexpected reply from a server to a split '"
                + request.command.name + "'"));
    }
}
