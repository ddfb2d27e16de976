package io.shardgate.bench.chaos;

import io.shardgate.bench.load.KeyVersions;
import io.shardgate.bench.load.Request;
import io.shardgate.bench.load.RequestSource;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The requests of one connection of a versioned run: 1-key gets, multi-key gets and sets in given shares, keys drawn
 * uniformly. A get notes, per key, the newest version acknowledged when it is sent (a reply may not be older); a set
 * writes the key's next version, and a key a get found missing is written again first (as a cache client does).
 * Connection {@code i} of {@code n} sets only the keys {@code k} with
 * {@code k % n == i}, so no two sets of one key are ever in flight at once and versions land in order.
 */
final class MixedSource implements RequestSource {
    private final KeyVersions versions;
    private final int keys;
    private final int connection;
    private final int connections;
    private final double getShare;
    private final double multiShare;
    private final int multiKeys;
    private final BooleanSupplier stopped;
    private final java.util.function.IntSupplier refill;
    private final SplittableRandom random;

    /** @param refill a key this connection owns that was found missing and is to be written again first, or -1 */
    MixedSource(KeyVersions versions, int connection, int connections, double getShare, double multiShare,
            int multiKeys, long seed, BooleanSupplier stopped, java.util.function.IntSupplier refill) {
        this.refill = refill;
        this.versions = versions;
        this.keys = versions.size();
        this.connection = connection;
        this.connections = connections;
        this.getShare = getShare;
        this.multiShare = multiShare;
        this.multiKeys = Math.min(multiKeys, keys);
        this.stopped = stopped;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean next(Request slot) {
        if (stopped.getAsBoolean()) return false;
        int missing = refill.getAsInt();
        if (missing >= 0) {
            int v = versions.next(missing);
            if (v > 0) {
                slot.set(missing, v);
                return true;
            }
        }
        double p = random.nextDouble();
        if (p >= getShare + multiShare) {
            int key = random.nextInt(keys);
            key = key - Math.floorMod(key, connections) + connection;
            if (key >= keys) key -= connections;
            if (key >= 0) {
                int v = versions.next(key);
                if (v > 0) {
                    slot.set(key, v);
                    return true;
                }
            }
        }
        int n = p < getShare ? 1 : multiKeys;
        int[] picked = new int[n];
        for (int i = 0; i < n; i++) {
            int key;
            boolean repeat;
            do {
                key = random.nextInt(keys);
                repeat = false;
                for (int j = 0; j < i; j++) repeat |= picked[j] == key;
            } while (repeat);
            picked[i] = key;
        }
        slot.get(picked);
        for (int i = 0; i < n; i++) slot.floor(i, versions.acked(picked[i]));
        return true;
    }
}
