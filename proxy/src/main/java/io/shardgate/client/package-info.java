/**
 * Client connections: one {@link io.shardgate.client.ClientSession} per connection, which dispatches each request
 * through the pool's protocol, returns replies in the order the client asked, and holds back a client that sends
 * without reading (backpressure).
 *
 * <p>Depends on config, routing, transport, protocol, stats and backend.
 */
package io.shardgate.client;
