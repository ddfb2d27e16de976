package io.shardgate.transport;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Locale;

/**
 * The buffer allocator of every connection. Netty 4.2 made its adaptive allocator the default; shardgate keeps
 * the pooled one (per-thread arenas and caches, sized by {@code io.netty.allocator.*}) on purpose: the allocation
 * and memory figures in docs/BENCHMARKS.md were measured with it and the launcher tunes it (1 MiB chunks), and the
 * adaptive one measured about the same RSS there. {@code -Dshardgate.allocator=adaptive} picks Netty's new default
 * instead, to compare.
 */
public final class Buffers {
    public static final String PROPERTY = "shardgate.allocator";

    private static final ByteBufAllocator ALLOCATOR = forName(System.getProperty(PROPERTY, "pooled"));

    private Buffers() {}

    public static ByteBufAllocator allocator() {
        return ALLOCATOR;
    }

    /** The allocator's name, for the start-up log. */
    public static String name() {
        return ALLOCATOR instanceof PooledByteBufAllocator ? "pooled" : "adaptive";
    }

    static ByteBufAllocator forName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "pooled" -> PooledByteBufAllocator.DEFAULT;
            case "adaptive" -> new AdaptiveByteBufAllocator();
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + name + ": pooled or adaptive");
        };
    }
}
