/**
 * Key routing, placing every key on the same backend as nutcracker (twemproxy) 0.5.0.
 *
 * <p>Flow per request: {@link io.shardgate.routing.PoolRouter#serverFor} reads the pool's current
 * {@link io.shardgate.routing.RoutingSnapshot}; the snapshot cuts the key down to its {@link
 * io.shardgate.routing.HashTag} part (if the pool has one), hashes it with the pool's {@link
 * io.shardgate.routing.KeyHash} (one of twelve, {@link io.shardgate.routing.KeyHashes}), and maps the hash to a
 * server index through the distribution table: ketama continuum, modula slots, or a random live server.
 *
 * <p>Tables are immutable and built over the live servers only. When auto_eject_hosts ejects a server, or its
 * retry time comes, the proxy calls {@code eject}/{@code restore} and a new snapshot replaces the old one
 * atomically, as nutcracker rebuilds its continuum. Nothing here does I/O, starts threads or allocates per key.
 *
 * <p>Depends on config only.
 */
package io.shardgate.routing;
