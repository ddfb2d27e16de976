package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;

/**
 * A request the decoder answered itself (a protocol error, or a command the proxy does not forward); it takes
 * its turn in the client's reply order like any other. With {@code close}, the stream cannot be resynchronised
 * and the client is disconnected after the reply.
 */
record LocalReply(ByteBuf reply, boolean close) {}
