package io.shardgate.routing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * nutcracker's ketama continuum: each live server gets points in proportion to its weight, four per MD5 digest of
 * {@code "<name>-<n>"}; a key goes to the first point at or after its hash, wrapping to the first point.
 */
final class KetamaContinuum implements Dispatcher {
    static final int POINTS_PER_SERVER = 160;
    static final int POINTS_PER_HASH = 4;
    /** nutcracker formats "<name>-<n>" into a 273-byte buffer, so longer names are cut to 272 bytes. */
    static final int MAX_NAME_BYTES = 272;

    /** The top bits of a hash that pick its slice of the continuum in {@link #sliceStart}. */
    private static final int SLICE_BITS = 12;

    /** Point values with the sign bit flipped, so a signed comparison orders them as the uint32s they are. */
    private final int[] points;
    private final int[] servers;
    /**
     * For each of the 4,096 slices of the hash space (by its top 12 bits), the index of the first point in that
     * slice or after it; one more entry for the end. A lookup searches only its slice: with 160 points per server
     * a slice holds none or one point for a few servers, a handful for hundreds, where a binary search over the
     * whole continuum took ten unpredictable branches (measured: 8% of the proxy's CPU on 100-key MGETs).
     */
    private final int[] sliceStart;

    private KetamaContinuum(int[] points, int[] servers) {
        this.points = points;
        this.servers = servers;
        this.sliceStart = new int[(1 << SLICE_BITS) + 1];
        int i = 0;
        for (int slice = 0; slice <= 1 << SLICE_BITS; slice++) {
            while (i < points.length && ((points[i] ^ Integer.MIN_VALUE) >>> (32 - SLICE_BITS)) < slice) i++;
            sliceStart[slice] = i;
        }
    }

    /**
     * Builds the continuum over the live servers ({@code live[i]}), with weights re-proportioned among them.
     * Arrays are in nutcracker's server order; a point owned by server {@code i} dispatches to {@code ids[i]}.
     * At least one server must be live.
     */
    static KetamaContinuum build(String[] names, int[] weights, boolean[] live, int[] ids) {
        int liveCount = 0;
        int totalWeight = 0;
        for (int i = 0; i < names.length; i++) {
            if (live[i]) {
                liveCount++;
                totalWeight += weights[i];
            }
        }
        if (liveCount == 0) throw new IllegalArgumentException("no live server to build a continuum over");

        // Sign-flipped value in the high half (so signed long order is unsigned value order), insertion order in
        // the low half: sorting gives nutcracker's order, ties kept in insertion order as glibc's merge-sort qsort.
        long[] sorted = new long[liveCount * POINTS_PER_SERVER];
        int[] owner = new int[sorted.length];
        int count = 0;
        int[] digest = new int[4];
        for (int server = 0; server < names.length; server++) {
            if (!live[server]) continue;
            int points = pointsFor(weights[server], totalWeight, liveCount);
            for (int n = 0; n < points / POINTS_PER_HASH; n++) {
                byte[] name = pointName(names[server], n);
                Md5.digest(name, 0, name.length, digest);
                for (int word = 0; word < POINTS_PER_HASH; word++) {
                    owner[count] = ids[server];
                    sorted[count] = (long) (digest[word] ^ Integer.MIN_VALUE) << 32 | count;
                    count++;
                }
            }
        }
        Arrays.sort(sorted, 0, count);
        int[] points = new int[count];
        int[] servers = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = (int) (sorted[i] >>> 32);
            servers[i] = owner[(int) sorted[i]];
        }
        return new KetamaContinuum(points, servers);
    }

    /**
     * Points for one server, with nutcracker's arithmetic to the bit: the share is a C {@code float}, the product
     * stays in float, adding the 1e-10 double literal promotes to double, and the sum is cast back to float before
     * {@code floorf}. Java float/double arithmetic is IEEE like x86-64 SSE, so the same steps give the same count.
     */
    static int pointsFor(int weight, int totalWeight, int liveCount) {
        float pct = (float) weight / (float) totalWeight;
        float scaled = pct * POINTS_PER_SERVER / 4 * (float) liveCount;
        float nudged = (float) ((double) scaled + 0.0000000001);
        return (int) ((float) Math.floor(nudged) * 4);
    }

    static byte[] pointName(String serverName, int n) {
        byte[] name = (serverName + "-" + n).getBytes(StandardCharsets.UTF_8);
        return name.length > MAX_NAME_BYTES ? Arrays.copyOf(name, MAX_NAME_BYTES) : name;
    }

    /** nutcracker's ketama_hash: word {@code alignment} (0..3) of the MD5 digest of {@code key}. */
    static int ketamaHash(byte[] key, int alignment) {
        int[] digest = new int[4];
        Md5.digest(key, 0, key.length, digest);
        return digest[alignment];
    }

    @Override
    public int dispatch(int hash) {
        int key = hash ^ Integer.MIN_VALUE;
        int slice = hash >>> (32 - SLICE_BITS);
        // the first point >= hash is in the hash's slice, or else it is the first point of a later slice
        int low = sliceStart[slice];
        int high = sliceStart[slice + 1];
        while (low < high) { // first point >= hash
            int mid = (low + high) >>> 1;
            if (points[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return servers[low == points.length ? 0 : low];
    }

    int size() {
        return points.length;
    }

    /** Point {@code i} as nutcracker's uint32, for tests. */
    int pointValue(int i) {
        return points[i] ^ Integer.MIN_VALUE;
    }

    int pointServer(int i) {
        return servers[i];
    }
}
