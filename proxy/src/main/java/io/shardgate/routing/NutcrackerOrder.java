package io.shardgate.routing;

import io.shardgate.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The order nutcracker keeps a pool's servers in. While validating the config, nutcracker sorts each pool's
 * servers by their ketama name (shorter names first, then byte by byte, unsigned) to find duplicates, and keeps
 * that sorted array: modula's slots, ketama's tie order and random's choices all follow it, not the config order.
 */
final class NutcrackerOrder {
    private NutcrackerOrder() {}

    /**
     * Configured indexes in nutcracker's order: {@code result[k]} is the configured index of nutcracker's k-th server.
     *
     * @throws IllegalArgumentException if two servers share a ketama name (nutcracker refuses such a pool)
     */
    static int[] of(List<ServerConfig> servers) {
        byte[][] names = servers.stream()
                .map(s -> s.ketamaName().getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        Integer[] order = new Integer[servers.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> compare(names[a], names[b]));
        for (int k = 1; k < order.length; k++) {
            if (compare(names[order[k - 1]], names[order[k]]) == 0) {
                throw new IllegalArgumentException("servers " + servers.get(order[k - 1]) + " and "
                        + servers.get(order[k]) + " have the same name '" + servers.get(order[k]).ketamaName()
                        + "'; nutcracker refuses such a pool");
            }
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** nutcracker's string_compare: length first, then the bytes as unsigned (strncmp). */
    static int compare(byte[] a, byte[] b) {
        if (a.length != b.length) return Integer.compare(a.length, b.length);
        return Arrays.compareUnsigned(a, b);
    }
}
