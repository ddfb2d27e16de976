package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.protocol.ClientContext;
import io.shardgate.protocol.ReplyWaiter;

/**
 * Sends a meta request to the server its key hashes to (the base64-decoded key for {@code b}), taking a place in
 * the client's reply order first. A quiet request is forwarded without its {@code q} and the replies the client
 * asked not to get are dropped here, so the backend connection, shared by many clients, always answers every
 * request and replies stay matched to requests by order.
 */
final class MetaForwarder {
    private static final byte[] MN_REQUEST = {'m', 'n', '\r', '\n'};
    /** The length of the {@code MN\r\n} marker the backend sends on each side of a bracketed reply. */
    static final int MARKER = 4;

    private MetaForwarder() {}

    /** Owns {@code request}. */
    static void dispatch(MetaRequest request, ClientContext client) {
        ReplyWaiter waiter = client.nextReply();
        int server = request.binaryKey != null
                ? client.route(request.binaryKey, 0, request.binaryKey.length)
                : client.route(request.frame, request.keyOffset, request.keyLength);
        if (server < 0) {
            request.release();
            waiter.onFailure(FailureReasons.NO_LIVE_SERVER);
            return;
        }
        switch (request.quiet) {
            case NONE -> client.send(server, request.frame, withRawKey(request, waiter));
            case BRACKETED -> client.send(server, bracketed(request, client), new Bracketed(waiter)); // ma: k is base64
            default -> client.send(server, withoutQuiet(request, client),
                    withRawKey(request, new Quiet(request.quiet, waiter)));
        }
    }

    /**
     * {@code waiter}, carrying the hint the reply framer needs when memcached may write the request's key back raw
     * with a newline in it ({@link MetaRequest#rawKeyInReply}).
     */
    static ReplyWaiter withRawKey(MetaRequest request, ReplyWaiter waiter) {
        if (request.rawKeyInReply == null) return waiter;
        return new RawKeyInReply(waiter, new McReplyFramer.RawKey(request.rawKeyInReply));
    }

    /** Passes everything on; tells the framer which raw key the reply line may hold. */
    private static final class RawKeyInReply implements ReplyWaiter {
        private final ReplyWaiter client;
        private final McReplyFramer.RawKey hint;

        RawKeyInReply(ReplyWaiter client, McReplyFramer.RawKey hint) {
            this.client = client;
            this.hint = hint;
        }

        @Override
        public void onReply(ByteBuf frame) {
            client.onReply(frame);
        }

        @Override
        public void onFailure(String reason) {
            client.onFailure(reason);
        }

        @Override
        public Object framingHint() {
            return hint;
        }
    }

    /**
     * The request with its q token (and the space before it) left out: only the line is copied; an ms data block
     * follows as a slice of what the client sent. Takes over the request's frame.
     */
    static ByteBuf withoutQuiet(MetaRequest request, ClientContext client) {
        ByteBuf frame = request.frame;
        int cutStart = request.quietOffset - 1; // tokens are preceded by at least one space
        int cutEnd = request.quietOffset + request.quietLength;
        ByteBuf line = client.alloc().directBuffer(request.lineLength - (cutEnd - cutStart));
        line.writeBytes(frame, frame.readerIndex(), cutStart);
        line.writeBytes(frame, frame.readerIndex() + cutEnd, request.lineLength - cutEnd);
        int dataLength = frame.readableBytes() - request.lineLength;
        if (dataLength == 0) {
            frame.release();
            return line;
        }
        CompositeByteBuf out = client.alloc().compositeDirectBuffer(2);
        out.addComponent(true, line);
        out.addComponent(true, frame.retainedSlice(frame.readerIndex() + request.lineLength, dataLength));
        frame.release();
        return out;
    }

    /** {@code mn}, the request as sent (q included), {@code mn}. Takes over the request's frame. */
    static ByteBuf bracketed(MetaRequest request, ClientContext client) {
        ByteBuf frame = request.frame;
        ByteBuf out = client.alloc().directBuffer(frame.readableBytes() + 2 * MN_REQUEST.length);
        out.writeBytes(MN_REQUEST).writeBytes(frame, frame.readerIndex(), frame.readableBytes()).writeBytes(MN_REQUEST);
        frame.release();
        return out;
    }

    /** Whether memcached would have left this reply out for a quiet request of the given kind. */
    static boolean suppressed(MetaRequest.Quiet quiet, ByteBuf reply) {
        int start = reply.readerIndex();
        if (reply.readableBytes() < 4) return false;
        byte a = reply.getByte(start);
        byte b = reply.getByte(start + 1);
        byte after = reply.getByte(start + 2);
        if (after != ' ' && after != '\r' && after != '\n') return false;
        return switch (quiet) {
            case DROP_MISS -> a == 'E' && b == 'N';
            case DROP_HD -> a == 'H' && b == 'D';
            case DROP_HD_OR_VA -> (a == 'H' && b == 'D') || (a == 'V' && b == 'A');
            default -> false;
        };
    }

    /** Passes on every reply but the ones memcached suppresses in quiet mode; failures always pass. */
    private static final class Quiet implements ReplyWaiter {
        private final MetaRequest.Quiet quiet;
        private final ReplyWaiter client;

        Quiet(MetaRequest.Quiet quiet, ReplyWaiter client) {
            this.quiet = quiet;
            this.client = client;
        }

        @Override
        public void onReply(ByteBuf frame) {
            if (suppressed(quiet, frame)) {
                frame.release();
                client.onReply(Unpooled.EMPTY_BUFFER); // keeps the client's reply order, writes nothing
            } else {
                client.onReply(frame);
            }
        }

        @Override
        public void onFailure(String reason) {
            client.onFailure(reason);
        }
    }

    /** Passes on what the backend sent between its two {@code MN} markers (possibly nothing). */
    private static final class Bracketed implements ReplyWaiter {
        private final ReplyWaiter client;

        Bracketed(ReplyWaiter client) {
            this.client = client;
        }

        @Override
        public void onReply(ByteBuf frame) {
            int inner = frame.readableBytes() - 2 * MARKER;
            if (inner < 0) { // the framer only makes bracketed frames of two markers or more; be safe anyway
                frame.release();
                client.onFailure("unexpected reply from server");
                return;
            }
            ByteBuf reply = inner == 0 ? Unpooled.EMPTY_BUFFER : frame.retainedSlice(frame.readerIndex() + MARKER, inner);
            frame.release();
            client.onReply(reply);
        }

        @Override
        public void onFailure(String reason) {
            client.onFailure(reason);
        }
    }
}
