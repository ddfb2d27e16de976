package io.shardgate.client;

import io.netty.buffer.ByteBuf;
import io.shardgate.protocol.ReplyWaiter;

/**
 * One place in a client's reply order; filled by a backend reply, a local answer or a failure. Reused by its
 * session once its reply has been taken (each waiter is answered exactly once, so none is still referenced).
 */
final class ReplySlot implements ReplyWaiter {
    private final ClientSession session;
    private ByteBuf reply;
    private boolean done;

    ReplySlot(ClientSession session) {
        this.session = session;
    }

    @Override
    public void onReply(ByteBuf frame) {
        if (done) { // a second answer would be a bug upstream; never leak it
            frame.release();
            return;
        }
        reply = frame;
        done = true;
        session.drain();
    }

    @Override
    public void onFailure(String reason) {
        onReply(session.failureReply(reason));
    }

    boolean isDone() {
        return done;
    }

    /** Hands the reply to the caller, who now owns it, and makes the slot ready for reuse. */
    ByteBuf take() {
        ByteBuf r = reply;
        reply = null;
        done = false;
        return r;
    }
}
