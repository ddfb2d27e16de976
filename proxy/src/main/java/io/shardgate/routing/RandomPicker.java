package io.shardgate.routing;

import java.util.concurrent.ThreadLocalRandom;

/**
 * nutcracker's random distribution: any live server, uniformly, ignoring the key and the weights (nutcracker gives
 * every live server one slot).
 */
final class RandomPicker implements Dispatcher {
    private final int[] live;

    private RandomPicker(int[] live) {
        this.live = live;
    }

    /** {@code live} in nutcracker's server order; server {@code i} is reported as {@code ids[i]}. */
    static RandomPicker build(boolean[] live, int[] ids) {
        int count = 0;
        for (boolean l : live) if (l) count++;
        if (count == 0) throw new IllegalArgumentException("no live server to pick from");
        int[] servers = new int[count];
        int next = 0;
        for (int i = 0; i < live.length; i++) {
            if (live[i]) servers[next++] = ids[i];
        }
        return new RandomPicker(servers);
    }

    @Override
    public int dispatch(int ignoredHash) {
        return live[ThreadLocalRandom.current().nextInt(live.length)];
    }

    @Override
    public boolean usesHash() {
        return false;
    }
}
