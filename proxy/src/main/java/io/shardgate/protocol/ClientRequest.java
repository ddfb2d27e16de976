package io.shardgate.protocol;

/**
 * One message a client connection's decoder emits: a request for its protocol to dispatch, or a
 * {@link LocalReply} the core answers in its turn. Whoever holds it last ends its life with {@link #release}.
 */
public interface ClientRequest {
    /** Releases everything the message holds (its bytes, its pooled object). Touch it no more. */
    void release();
}
