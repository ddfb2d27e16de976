package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * One wire protocol the proxy speaks (memcached text/meta, redis). The core moves bytes and keeps order; a
 * protocol says how requests are framed and validated, where they go, and how a backend's replies are framed.
 * This is the seam twemproxy draws in its {@code nc_proto.h}.
 */
public interface ProxyProtocol {
    /** A new decoder for a client connection: bytes in, request messages out, which {@link #dispatch} receives. */
    ChannelHandler newRequestDecoder();

    /**
     * A new framer for a backend connection: bytes in, one {@link ByteBuf} per complete reply out. {@code pending}
     * shows it the framing hints of the requests whose replies it has yet to frame.
     */
    ChannelHandler newReplyFramer(PendingReplies pending);

    /** Handles one decoded request: answers it locally, or routes it and sends it on. Owns {@code request}. */
    void dispatch(Object request, ClientContext client);

    /** Drops a decoded request that will not be served (the client is closing), releasing what it holds. */
    void discard(Object request);

    /** The reply a client gets when its request failed at or before the backend. */
    ByteBuf failureReply(ByteBufAllocator alloc, String reason);

    /**
     * Requests to send on a fresh backend connection before any client request (redis AUTH and SELECT), each
     * with a check of its reply; empty when there are none.
     */
    default java.util.List<Handshake> handshake(ByteBufAllocator alloc) {
        return java.util.List.of();
    }

    /**
     * One request of a backend connection's handshake. {@code check} looks at the reply (which it does not own)
     * and returns null when it is the expected one, else the reason to close the connection with.
     */
    record Handshake(ByteBuf request, java.util.function.Function<ByteBuf, String> check) {}

    /** A request a healthy server answers with a reply starting with {@code expectedReplyPrefix}. */
    record HealthProbe(byte[] request, String expectedReplyPrefix) {}

    /** How to probe a server before re-admitting it (eject policy option {@code readmit_probe}). */
    HealthProbe healthProbe();

    /** The names of the commands counted per command in the stats, indexed as {@link ClientContext#countCommand} counts them. */
    default java.util.List<String> commandNames() {
        return java.util.List.of();
    }
}
