/**
 * The memcached text and meta protocols.
 *
 * <p>{@link io.shardgate.protocol.memcache.McRequestDecoder} validates each client request and slices it out of
 * the bytes read; {@link io.shardgate.protocol.memcache.MemcacheProtocol} forwards single-key commands as sent
 * and hands multi-key retrievals to {@link io.shardgate.protocol.memcache.MultiGet}, which splits them per server
 * and merges the replies in key order. On the backend side {@link io.shardgate.protocol.memcache.McReplyFramer}
 * finds where each reply ends, skipping data blocks by their length.
 *
 * <p>Meta commands ({@code mg ms md ma mn me}) are checked by {@link io.shardgate.protocol.memcache.MetaParser}
 * as memcached 1.6 checks them and forwarded by {@link io.shardgate.protocol.memcache.MetaForwarder}, which keeps
 * quiet mode ({@code q}) on shared backend connections by dropping the suppressed replies itself.
 * {@code docs/META.md} describes every command and flag.
 */
package io.shardgate.protocol.memcache;
