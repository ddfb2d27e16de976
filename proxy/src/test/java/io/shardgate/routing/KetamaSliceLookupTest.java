package io.shardgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sliced lookup answers exactly as a plain search for the first point at or after the hash would. */
class KetamaSliceLookupTest {
    /** The reference: the first point whose uint32 value is >= hash, wrapping to the first. */
    private static int reference(KetamaContinuum c, int hash) {
        for (int i = 0; i < c.size(); i++) {
            if (Integer.compareUnsigned(c.pointValue(i), hash) >= 0) return c.pointServer(i);
        }
        return c.pointServer(0);
    }

    private static KetamaContinuum continuum(int servers, boolean someDown) {
        String[] names = new String[servers];
        int[] weights = new int[servers];
        boolean[] live = new boolean[servers];
        int[] ids = new int[servers];
        for (int i = 0; i < servers; i++) {
            names[i] = "10.0.0." + i + ":11211";
            weights[i] = 1 + i % 3;
            live[i] = !someDown || i % 4 != 1;
            ids[i] = i;
        }
        return KetamaContinuum.build(names, weights, live, ids);
    }

    @Test
    void everyHashGoesWhereAPlainSearchSendsIt() {
        SplittableRandom random = new SplittableRandom(42);
        for (int servers : new int[] {1, 2, 4, 7, 40}) {
            for (boolean someDown : new boolean[] {false, true}) {
                if (someDown && servers < 2) continue;
                KetamaContinuum c = continuum(servers, someDown);
                int[] hashes = new int[20_000 + 3 * c.size() + 4];
                int n = 0;
                for (int i = 0; i < 20_000; i++) hashes[n++] = random.nextInt();
                for (int i = 0; i < c.size(); i++) { // on, just below and just above every point
                    hashes[n++] = c.pointValue(i);
                    hashes[n++] = c.pointValue(i) - 1;
                    hashes[n++] = c.pointValue(i) + 1;
                }
                hashes[n++] = 0;
                hashes[n++] = -1;
                hashes[n++] = Integer.MIN_VALUE;
                hashes[n++] = Integer.MAX_VALUE;
                int[] got = new int[n];
                int[] want = new int[n];
                for (int i = 0; i < n; i++) {
                    got[i] = c.dispatch(hashes[i]);
                    want[i] = reference(c, hashes[i]);
                }
                assertThat(Arrays.equals(got, want)).as("%d servers, some down: %s", servers, someDown).isTrue();
            }
        }
    }
}
