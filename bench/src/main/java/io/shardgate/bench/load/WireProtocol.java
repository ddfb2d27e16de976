package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * A request/reply protocol the generator speaks. Only memcached's text protocol exists today; a redis (RESP)
 * implementation would encode GET/MGET/SET and parse bulk replies behind the same two methods.
 */
public interface WireProtocol {
    /** An upper bound of the bytes {@link #encode} writes for {@code r}, to size the output buffer. */
    int encodedSizeHint(Request r);

    /** Appends {@code r} to {@code out}; {@code scratch} is a small per-connection work array. */
    void encode(Request r, ByteBuf out, byte[] scratch);

    ReplyParser newParser(ReplyParser.Listener listener);
}
