package io.shardgate.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A decoded request as the core routes it: the bytes to forward and where its keys are in them. A protocol's
 * request objects are pooled, so a request has one end, whichever path it takes: {@link #recycle} once its frame
 * has been handed on (sent whole), or {@link #release} when the frame goes nowhere (failed, answered locally,
 * dropped, or merged from its parts).
 */
public interface KeyedRequest extends ClientRequest {
    /** The request's bytes, owned by the request until they are sent or released. */
    ByteBuf frame();

    int keyCount();

    /** Where key {@code k} (in the client's order) starts in {@link #frame}. */
    int keyOffset(int k);

    int keyLength(int k);

    /** Returns the request object to its pool; the frame is left alone (it has been sent). Touch it no more. */
    void recycle();

    /** Releases the frame and recycles the request. Touch it no more. */
    @Override
    default void release() {
        frame().release();
        recycle();
    }
}
