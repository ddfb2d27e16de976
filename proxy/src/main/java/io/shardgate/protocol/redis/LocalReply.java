package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;

/**
 * A request the decoder answered itself, taking its turn in the client's reply order. {@code then} says what
 * happens to the connection after the reply.
 */
record LocalReply(ByteBuf reply, Then then) {
    enum Then {
        CONTINUE,
        /** QUIT: close once every earlier reply is written. */
        CLOSE,
        /** The stream cannot be resynchronised: close after the reply. */
        PROTOCOL_ERROR
    }
}
