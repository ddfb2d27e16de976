package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The parts of one client request split by server (twemproxy's fragments): {@link #send} sends each part built
 * by the protocol, each part's waiter records its reply or failure, and once the last is in, {@link #merge}
 * answers the client. Then every part reply still held is released and the client's request ended, whatever
 * merge did.
 */
public abstract class Fragments {
    /** The client's request, kept until the end for the parts and the merge to read its keys. */
    private final KeyedRequest request;
    /** The part each key of the request went to, in the client's key order. */
    protected final int[] partOfKey;
    /** The server of each part. */
    private final int[] servers;
    /** Each part's reply, held here until merge returns; null for a part that failed or that merge dropped. */
    protected final ByteBuf[] replies;
    /** Each part's failure reason, null for a part that answered. */
    protected final String[] failures;
    private int outstanding;

    protected Fragments(KeyedRequest request, int[] partOfKey, int[] servers) {
        this.request = request;
        this.partOfKey = partOfKey;
        this.servers = servers;
        this.replies = new ByteBuf[servers.length];
        this.failures = new String[servers.length];
        this.outstanding = servers.length;
    }

    /** The request of part {@code part}, in the protocol's form, for its server; the caller sends it. */
    protected abstract ByteBuf buildPart(int part);

    /** Answers the client from the parts' replies and failures. Runs once, when the last part is in. */
    protected abstract void merge();

    /** Sends every part to its server. */
    final void send(ClientContext client) {
        client.countFragments(servers.length);
        for (int p = 0; p < servers.length; p++) {
            client.send(servers[p], buildPart(p), new Part(p));
        }
    }

    /** The first failure in part order, or null when every part answered. */
    protected final String firstFailure() {
        for (String failure : failures) {
            if (failure != null) return failure;
        }
        return null;
    }

    private void partDone() {
        if (--outstanding > 0) return;
        try {
            merge();
        } finally {
            for (ByteBuf reply : replies) {
                if (reply != null) reply.release();
            }
            request.release();
        }
    }

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
