/**
 * The running proxy: workers and listeners.
 *
 * <p>{@link io.shardgate.server.ShardGateServer} starts one acceptor thread and N workers (Netty event loops on
 * the {@link io.shardgate.transport.Transport} chosen at start: io_uring, epoll or NIO; every connection takes its
 * buffers from {@link io.shardgate.transport.Buffers}). Each pool listens on its own address; an accepted client
 * connection is handed to one worker for its whole life. A {@link io.shardgate.server.Worker} owns its client sessions and
 * its own pipelined connections to every server of every pool, so a request is decoded, routed, forwarded and
 * answered on one thread, and the only state shared between workers is immutable (config, routing snapshots)
 * or rarely written (server health, the client count per pool).
 *
 * <p>Data flow: client bytes → protocol decoder → {@link io.shardgate.client.ClientSession} (reply order,
 * backpressure) → protocol dispatch → route → {@link io.shardgate.backend.ServerLink} (write, queue the
 * waiter) → {@link io.shardgate.transport.FlushBatcher} flushes every touched connection once per event-loop
 * pass → server replies → reply framer → the head waiter → the client's reply queue → written in order.
 *
 * <p>Depends on every package but cli, which starts it.
 */
package io.shardgate.server;
