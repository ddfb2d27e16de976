package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;

/**
 * A request/reply protocol the generator speaks: memcached's text protocol ({@link MemcacheProtocol}) or RESP
 * ({@link RedisProtocol}; the chaos and soak runs use it, the LoadGenerator command line does not yet).
 */
public interface WireProtocol {
    /** An upper bound of the bytes {@link #encode} writes for {@code r}, to size the output buffer. */
    int encodedSizeHint(Request r);

    /** Appends {@code r} to {@code out}; {@code scratch} is a small per-connection work array. */
    void encode(Request r, ByteBuf out, byte[] scratch);

    ReplyParser newParser(ReplyParser.Listener listener);
}
