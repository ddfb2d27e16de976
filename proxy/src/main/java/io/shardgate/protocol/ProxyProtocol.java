package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * One wire protocol the proxy speaks (memcached text/meta, redis). The core moves bytes and keeps order; a
 * protocol says how requests are framed and validated, where they go, and how a backend's replies are framed.
 * This is the seam twemproxy draws in its {@code nc_proto.h}.
 */
public interface ProxyProtocol<R extends ClientRequest> {
    /**
     * A new decoder for a client connection: bytes in, messages out, each a request of type {@link #requestType}
     * or a {@link LocalReply}, and each a slice of the bytes read, never a copy.
     */
    ChannelHandler newRequestDecoder();

    /** The type of the requests the decoder emits for {@link #dispatch}. */
    Class<R> requestType();

    /**
     * A new framer for a backend connection: bytes in, one {@link ByteBuf} per complete reply out. {@code pending}
     * shows it the framing hints of the requests whose replies it has yet to frame.
     */
    ChannelHandler newReplyFramer(PendingReplies pending);

    /** Handles one decoded request: answers it locally, or routes it and sends it on. Owns {@code request}. */
    void dispatch(R request, ClientContext client);

    /**
     * Serves one message of the decoder, taking ownership of it: a local reply is answered in its turn, a request
     * goes to {@link #dispatch}.
     */
    default void serve(ClientRequest message, ClientContext client) {
        if (message instanceof LocalReply local) {
            local.answer(client);
        } else {
            dispatch(requestType().cast(message), client);
        }
    }

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
