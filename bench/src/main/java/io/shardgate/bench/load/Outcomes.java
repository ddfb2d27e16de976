package io.shardgate.bench.load;

/**
 * Where a connection reports how each of its requests ended. Called on the connection's event loop; an
 * implementation shared by connections on several loops must be thread-safe.
 */
public interface Outcomes {
    /** The request's reply arrived and verified. */
    void verified(Request r, long nowNanos);

    /** The request failed: its reply did not verify ({@code kind} is {@link Request#error()}), or none came. */
    void failed(Request r, ErrorKind kind, long nowNanos);
}
