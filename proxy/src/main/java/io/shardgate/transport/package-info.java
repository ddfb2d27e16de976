/**
 * The I/O plumbing both sides of the proxy share: the {@link io.shardgate.transport.Transport} every event loop
 * and channel is made on (io_uring, epoll or NIO), the pooled {@link io.shardgate.transport.Buffers} allocator,
 * and the {@link io.shardgate.transport.FlushBatcher} that flushes each touched connection once per event-loop
 * pass. It depends on Netty only, so client, backend and server can all use it without depending on each other.
 */
package io.shardgate.transport;
