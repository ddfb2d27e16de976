package io.shardgate.protocol.redis;

/**
 * Bounds on what a client may send, so that one client cannot make the proxy buffer without limit. A request
 * is held whole before it is forwarded, so these bound the memory one client connection can take.
 *
 * @param maxBulkBytes the longest argument; redis allows 512 MiB (proto-max-bulk-len), the proxy 64 MiB by default
 * @param maxArrayLength the most arguments in one request
 * @param maxInlineBytes the longest inline (telnet-style) command line, redis's 64 KiB
 * @param maxRequestBytes the largest request, all arguments together
 */
public record RedisLimits(int maxBulkBytes, int maxArrayLength, int maxInlineBytes, int maxRequestBytes) {
    public static final int DEFAULT_MAX_BULK_BYTES = 64 * 1024 * 1024;
    public static final int DEFAULT_MAX_ARRAY_LENGTH = 1024 * 1024;
    public static final int DEFAULT_MAX_INLINE_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 512 * 1024 * 1024;

    public RedisLimits {
        if (maxBulkBytes < 0 || maxArrayLength < 1 || maxInlineBytes < 16 || maxRequestBytes < 64) {
            throw new IllegalArgumentException("redis limits out of range");
        }
    }

    public static RedisLimits defaults() {
        return new RedisLimits(DEFAULT_MAX_BULK_BYTES, DEFAULT_MAX_ARRAY_LENGTH, DEFAULT_MAX_INLINE_BYTES,
                DEFAULT_MAX_REQUEST_BYTES);
    }

    /**
     * The defaults, unless the system properties {@code shardgate.redis.maxBulkBytes},
     * {@code shardgate.redis.maxArrayLength}, {@code shardgate.redis.maxInlineBytes} or
     * {@code shardgate.redis.maxRequestBytes} say otherwise.
     */
    public static RedisLimits fromSystemProperties() {
        return new RedisLimits(
                Integer.getInteger("shardgate.redis.maxBulkBytes", DEFAULT_MAX_BULK_BYTES),
                Integer.getInteger("shardgate.redis.maxArrayLength", DEFAULT_MAX_ARRAY_LENGTH),
                Integer.getInteger("shardgate.redis.maxInlineBytes", DEFAULT_MAX_INLINE_BYTES),
                Integer.getInteger("shardgate.redis.maxRequestBytes", DEFAULT_MAX_REQUEST_BYTES));
    }
}
