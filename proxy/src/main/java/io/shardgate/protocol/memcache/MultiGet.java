package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.config.FailurePolicy;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.Forwarding;
import io.shardgate.protocol.Fragments;
import io.shardgate.protocol.MergedReply;
import io.shardgate.protocol.ReplyWaiter;

/**
 * A retrieval whose keys live on several servers: one sub-request per server (not per key), and one reply
 * merged back in the client's key order with a single {@code END}. If any part fails, the client gets that
 * failure for the whole request, as from nutcracker.
 */
final class MultiGet extends Fragments {
    private final McRequest request;
    private final ReplyWaiter client;
    private final ClientContext context;
    private final Tolerance tolerance;

    private MultiGet(McRequest request, ReplyWaiter client, ClientContext context, int[] partOfKey, int[] servers,
            Tolerance tolerance) {
        super(request, partOfKey, servers);
        this.request = request;
        this.client = client;
        this.context = context;
        this.tolerance = tolerance;
    }

    /**
     * Which failures of a server answer its keys as misses rather than failing the request: any failure with
     * {@code partial_multiget} (for requests of several keys), an ejected server with {@code eject_policy: miss}.
     */
    private record Tolerance(boolean anyFailure, boolean ejected) {
        /** The four there can be, shared, so that routing a retrieval allocates none. */
        private static final Tolerance[] ALL = {new Tolerance(false, false), new Tolerance(false, true),
            new Tolerance(true, false), new Tolerance(true, true)};

        static Tolerance of(FailurePolicy policy, int keyCount) {
            boolean anyFailure = policy.partialMultiget() && keyCount > 1;
            boolean ejected = policy.ejectPolicy() == FailurePolicy.EjectPolicy.MISS;
            return ALL[(anyFailure ? 2 : 0) + (ejected ? 1 : 0)];
        }

        boolean forgives(String reason) {
            return anyFailure || (ejected && FailureReasons.SERVER_EJECTED.equals(reason));
        }

        boolean forgivesAny() {
            return anyFailure || ejected;
        }
    }

    /**
     * The retrievals of a pool with {@code policy}: one per protocol, so that routing one allocates nothing (the
     * waiter that forgives failures is made only for a request sent whole under a forgiving policy).
     */
    static Forwarding.Splitter<McRequest> splitter(FailurePolicy policy) {
        return new Forwarding.Splitter<>() {
            @Override
            public Fragments split(McRequest request, ReplyWaiter client, ClientContext context, int[] partOfKey,
                    int[] servers) {
                return new MultiGet(request, client, context, partOfKey, servers, Tolerance.of(policy, request.keyCount));
            }

            @Override
            public ReplyWaiter whole(McRequest request, ReplyWaiter client) {
                Tolerance tolerance = Tolerance.of(policy, request.keyCount);
                return tolerance.forgivesAny() ? new MissOnFailure(client, tolerance) : client;
            }
        };
    }

    /** Routes a retrieval through the core, split per server when its keys live on more than one. Owns {@code request}. */
    static void dispatch(McRequest request, ClientContext context, Forwarding.Splitter<McRequest> splitter) {
        Forwarding.split(request, context, context.nextReply(), splitter);
    }

    /** {@code <command> [exptime] key key ...\r\n} for the keys of one part. */
    @Override
    protected ByteBuf buildPart(int part) {
        ByteBuf frame = request.frame;
        int size = request.command.name.length + request.argLength + 3;
        for (int k = 0; k < request.keyCount; k++) {
            if (partOfKey[k] == part) size += request.keyLength(k) + 1;
        }
        ByteBuf out = context.alloc().directBuffer(size);
        out.writeBytes(request.command.name);
        if (request.argLength > 0) {
            out.writeByte(' ').writeBytes(frame, request.argOffset, request.argLength);
        }
        for (int k = 0; k < request.keyCount; k++) {
            if (partOfKey[k] == part) out.writeByte(' ').writeBytes(frame, request.keyOffset(k), request.keyLength(k));
        }
        return out.writeByte('\r').writeByte('\n');
    }

    @Override
    protected void merge() {
        for (int p = 0; p < replies.length; p++) {
            if (failures[p] != null) {
                if (!tolerance.forgives(failures[p])) {
                    client.onFailure(failures[p]);
                    return;
                }
            } else if (!isRetrievalReply(replies[p])) {
                // an error line from a server answers for the whole request, unless its keys may be misses
                if (!tolerance.anyFailure) {
                    client.onReply(replies[p].retainedSlice());
                    return;
                }
                replies[p].release();
                replies[p] = null;
            }
        }
        // Each part's reply is its hits' entries then END\r\n (a forgiven part has only misses), so this is the
        // merged size, barring a server's entry for a key not asked (dropped: room to spare) or an END without \r.
        int size = END_LINE.length;
        for (ByteBuf reply : replies) {
            if (reply != null) size += reply.readableBytes() - END_LINE.length;
        }
        ByteBuf merged = MergedReply.allocate(context.alloc(), size, request.keyCount + 1);
        // memcached answers a part's keys in the order they were asked and skips misses: walking the keys in the
        // client's order, a key's entry, if it hit, is the next one in its part's reply, whose readerIndex is
        // moved past each entry taken. A key asked twice is answered twice.
        for (int k = 0; k < request.keyCount; k++) {
            ByteBuf reply = replies[partOfKey[k]];
            int length = reply == null ? 0 : entryLength(reply, k);
            if (length > 0) {
                MergedReply.append(merged, reply, reply.readerIndex(), length);
                reply.skipBytes(length);
            }
        }
        MergedReply.append(merged, McReplies.END, McReplies.END.readerIndex(), McReplies.END.readableBytes());
        client.onReply(merged);
    }

    /**
     * The length of the entry at the front of {@code reply} when it answers key {@code k}, else 0 (the key missed,
     * or no entry is left). An entry is {@code VALUE <key> <flags> <bytes> [<cas>]\r\n<data>\r\n}, its line already
     * checked by the reply framer, which lets only such lines precede the reply's last line (END, or an error
     * line), so a {@code V} at the front means an entry. The key is compared in place, the line read once.
     */
    private int entryLength(ByteBuf reply, int k) {
        int pos = reply.readerIndex();
        int end = reply.writerIndex();
        int keyStart = pos + VALUE_PREFIX.length;
        int keyLength = request.keyLength(k);
        int keyEnd = keyStart + keyLength;
        if (keyEnd >= end || reply.getByte(keyEnd) != ' ' || reply.getByte(pos) != 'V'
                || !ByteBufUtil.equals(request.frame, request.keyOffset(k), reply, keyStart, keyLength)) {
            return 0;
        }
        int flagsEnd = digitsEnd(reply, keyEnd + 1, end);
        if (flagsEnd >= end || reply.getByte(flagsEnd) != ' ') return 0;
        int bytesEnd = digitsEnd(reply, flagsEnd + 1, end);
        long length = Ascii.parseUnsigned(reply, flagsEnd + 1, bytesEnd, Integer.MAX_VALUE);
        if (length == Ascii.INVALID) return 0;
        // the line ends right there, or after a cas
        int eol = bytesEnd + 1 < end && reply.getByte(bytesEnd) == '\r' && reply.getByte(bytesEnd + 1) == '\n'
                ? bytesEnd + 1 : reply.indexOf(bytesEnd, end, (byte) '\n');
        long entryEnd = eol + 1L + length + 2;
        return eol < 0 || entryEnd > end ? 0 : (int) (entryEnd - pos);
    }

    /** Where the run of decimal digits from {@code i} ends. */
    private static int digitsEnd(ByteBuf buf, int i, int end) {
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') break;
        }
        return i;
    }

    /** The one-server case's waiter when some failures are answered as an all-miss reply. */
    private record MissOnFailure(ReplyWaiter client, Tolerance tolerance) implements ReplyWaiter {
        @Override
        public void onReply(ByteBuf frame) {
            if (tolerance.anyFailure && !isRetrievalReply(frame)) {
                frame.release();
                client.onReply(McReplies.of(McReplies.END));
            } else {
                client.onReply(frame);
            }
        }

        @Override
        public void onFailure(String reason) {
            if (tolerance.forgives(reason)) {
                client.onReply(McReplies.of(McReplies.END));
            } else {
                client.onFailure(reason);
            }
        }

        @Override
        public Object framingHint() {
            return client.framingHint();
        }
    }

    private static boolean isRetrievalReply(ByteBuf reply) {
        int start = reply.readerIndex();
        int end = reply.writerIndex();
        return Ascii.startsWith(reply, start, end, VALUE_PREFIX) || Ascii.startsWith(reply, start, end, END_LINE);
    }

    private static final byte[] VALUE_PREFIX = "VALUE ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] END_LINE = "END\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
}
