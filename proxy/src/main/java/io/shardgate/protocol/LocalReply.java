package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A request the decoder answered itself (a protocol error, or a command the proxy answers without a server). It
 * takes its turn in the client's reply order like any other; {@code after} says what happens to the connection.
 */
public record LocalReply(ByteBuf reply, After after) implements ClientRequest {
    public enum After {
        CONTINUE,
        /** QUIT: close once every earlier reply is written. */
        CLOSE,
        /** The stream cannot be resynchronised: close after the reply, counted as a client error. */
        PROTOCOL_ERROR
    }

    public static LocalReply of(ByteBuf reply) {
        return new LocalReply(reply, After.CONTINUE);
    }

    public static LocalReply fatal(ByteBuf reply) {
        return new LocalReply(reply, After.PROTOCOL_ERROR);
    }

    /** Answers in this request's place in the reply order; the reply goes to the client. */
    public void answer(ClientContext client) {
        client.nextReply().onReply(reply);
        switch (after) {
            case CLOSE -> client.closeAfterReplies();
            case PROTOCOL_ERROR -> client.closeOnProtocolError("the request stream cannot be resynchronised");
            case CONTINUE -> { }
        }
    }

    @Override
    public void release() {
        reply.release();
    }
}
