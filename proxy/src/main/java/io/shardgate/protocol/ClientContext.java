package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What a protocol's dispatcher may do for one client connection: reserve the client's next place in reply
 * order, route a key to a server of the pool, and send a request to that server.
 */
public interface ClientContext {
    /** Reserves the next place in this client's reply order. Replies leave in the order their places were taken. */
    ReplyWaiter nextReply();

    /** The pool's server index for a key, after hash_tag; -1 when the pool has no live server. */
    int route(ByteBuf buf, int offset, int length);

    /** Routes raw key bytes, for keys that are not where the request holds them (e.g. decoded from base64). */
    int route(byte[] key, int offset, int length);

    /**
     * Sends a request to a server of the pool, taking ownership of {@code request}. {@code waiter} gets the
     * reply, or null when the server sends none ({@code noreply}).
     */
    void send(int serverIndex, ByteBuf request, ReplyWaiter waiter);

    /** Closes the connection once every reply already reserved has been written. */
    void closeAfterReplies();

    /** Writes what is reserved, then closes the connection: for input the decoder cannot resynchronise on. */
    void closeOnProtocolError(String reason);

    ByteBufAllocator alloc();

    /** The number of servers in the pool. */
    int serverCount();

    /** The name of a server of the pool, as the stats name it, for error replies and logs. */
    String serverName(int serverIndex);

    /** The client's address, for logs. */
    String clientAddress();

    /**
     * Collects the proxy's figures for this client's pool off the worker's thread and calls {@code then} back
     * on it, with null when they cannot be had (the stats are not running, or the collection failed).
     */
    void proxyFigures(java.util.function.Consumer<ProxyFigures> then);

    /** Stats: a multi-key request was split into {@code n} per-server fragments. */
    default void countFragments(int n) {}

    /** Stats: one request of command {@code id}, an index into {@link ProxyProtocol#commandNames()}. */
    default void countCommand(int id) {}
}
