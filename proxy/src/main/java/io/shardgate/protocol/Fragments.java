package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The replies to one client request that was split into parts, one per server (twemproxy's fragments): each
 * part's waiter records its reply or its failure, and once the last is in, {@link #merge} answers the client.
 * Then every part reply still held and the client's request are released, whatever merge did.
 */
public abstract class Fragments {
    /** Each part's reply, held here until merge returns; null for a part that failed or that merge dropped. */
    protected final ByteBuf[] replies;
    /** Each part's failure reason, null for a part that answered. */
    protected final String[] failures;
    private final ByteBuf request;
    private int outstanding;

    /** {@code request} is the client's request, kept (and released at the end) for merge to read keys from. */
    protected Fragments(int parts, ByteBuf request) {
        this.replies = new ByteBuf[parts];
        this.failures = new String[parts];
        this.request = request;
        this.outstanding = parts;
    }

    /** The waiter for part {@code index}'s reply. */
    protected final ReplyWaiter part(int index) {
        return new Part(index);
    }

    /** The first failure in part order, or null when every part answered. */
    protected final String firstFailure() {
        for (String failure : failures) {
            if (failure != null) return failure;
        }
        return null;
    }

    /** Answers the client from the parts' replies and failures. Runs once, when the last part is in. */
    protected abstract void merge();

    private void partDone() {
        if (--outstanding > 0) return;
        try {
            merge();
        } finally {
            for (ByteBuf reply : replies) {
                if (reply != null) reply.release();
            }
            request.release();
            finished();
        }
    }

    /** Runs last, once everything is answered and released: a protocol may recycle its request object here. */
    protected void finished() {}

    private final class Part implements ReplyWaiter {
        private final int index;

        Part(int index) {
            this.index = index;
        }

        @Override
        public void onReply(ByteBuf frame) {
            replies[index] = frame;
            partDone();
        }

        @Override
        public void onFailure(String reason) {
            failures[index] = reason;
            partDone();
        }
    }
}
