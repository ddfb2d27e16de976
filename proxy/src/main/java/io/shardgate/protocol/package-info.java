/**
 * The seam between the core and a wire protocol.
 *
 * <p>A client connection's pipeline holds the protocol's request decoder, which turns bytes into request
 * messages (slices of the bytes read, never copies), and the client session, which hands each message to
 * {@link io.shardgate.protocol.ProxyProtocol#dispatch}. The protocol validates and routes the request and sends it
 * through the {@link io.shardgate.protocol.ClientContext}; each reply place it reserved is a
 * {@link io.shardgate.protocol.ReplyWaiter}. A backend connection's pipeline holds the protocol's reply framer,
 * whose frames are matched in FIFO order to the waiters queued on that connection; the framer can read the
 * framing hints of those waiters ({@link io.shardgate.protocol.PendingReplies}) for replies it can't frame alone.
 *
 * <p>Depends on config and routing only; it also holds what both sides say about a request: {@link
 * io.shardgate.protocol.FailureReasons} and {@link io.shardgate.protocol.ShardGateVersion}. The core's forwarding
 * ({@link io.shardgate.protocol.Forwarding}, {@link io.shardgate.protocol.Fragments}) is shared by every protocol
 * below it.
 */
package io.shardgate.protocol;
