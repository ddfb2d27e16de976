package io.shardgate.bench.load;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Fills request slots for one connection; returns false when there is nothing more to send. */
public interface RequestSource {
    boolean next(Request slot);

    /** Sets every key once, the keys shared out between connections. */
    static RequestSource preload(AtomicInteger nextKey, int keySpace) {
        return slot -> {
            int key = nextKey.getAndIncrement();
            if (key >= keySpace) return false;
            slot.set(key);
            return true;
        };
    }

    /** Uniformly random keys; a get of {@code keysPerGet} distinct keys with probability {@code getRatio}, else a set. */
    static RequestSource random(Phase phase, long seed, double getRatio, int keysPerGet, int keySpace) {
        if (keysPerGet > keySpace) throw new IllegalArgumentException("more keys per get than keys");
        SplittableRandom random = new SplittableRandom(seed);
        return slot -> {
            if (!phase.issuing(System.nanoTime())) return false;
            if (getRatio >= 1.0 || random.nextDouble() < getRatio) {
                int[] keys = slot.keys;
                for (int i = 0; i < keysPerGet; i++) {
                    int key;
                    boolean repeat;
                    do {
                        key = random.nextInt(keySpace);
                        repeat = false;
                        for (int j = 0; j < i; j++) {
                            if (keys[j] == key) {
                                repeat = true;
                                break;
                            }
                        }
                    } while (repeat);
                    keys[i] = key;
                }
                slot.kind = Request.GET;
                slot.keyCount = keysPerGet;
                slot.reset();
            } else {
                slot.set(random.nextInt(keySpace));
            }
            return true;
        };
    }
}
