/**
 * The memcached text protocol.
 *
 * <p>{@link io.shardgate.protocol.memcache.McRequestDecoder} validates each client request and slices it out of
 * the bytes read; {@link io.shardgate.protocol.memcache.MemcacheProtocol} forwards single-key commands as sent
 * and hands multi-key retrievals to {@link io.shardgate.protocol.memcache.MultiGet}, which splits them per server
 * and merges the replies in key order. On the backend side {@link io.shardgate.protocol.memcache.McReplyFramer}
 * finds where each reply ends, skipping data blocks by their length.
 */
package io.shardgate.protocol.memcache;
