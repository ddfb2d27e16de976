/**
 * Connections from the proxy to its backend servers.
 *
 * <p>Each worker owns a {@link io.shardgate.backend.PoolBackends} per pool: its own pipelined
 * {@link io.shardgate.backend.ServerLink}s to every server, used by all of that worker's clients and by no other
 * thread. A link writes requests as they come (the worker flushes once per event-loop pass), matches replies to
 * waiters in FIFO order, and on a broken connection fails every waiter at once so no client waits forever.
 *
 * <p>Depends on config, routing, transport, protocol and stats.
 */
package io.shardgate.backend;
