package io.shardgate.routing;

import java.util.Arrays;

/**
 * nutcracker's modula: each live server fills as many slots as its weight, in nutcracker's server order
 * ({@link NutcrackerOrder}), and a key goes to slot
 * {@code hash % slots} (unsigned).
 */
final class ModulaTable implements Dispatcher {
    private final int[] slots;

    private ModulaTable(int[] slots) {
        this.slots = slots;
    }

    /** Arrays in nutcracker's server order; a slot of server {@code i} dispatches to {@code ids[i]}. */
    static ModulaTable build(int[] weights, boolean[] live, int[] ids) {
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (live[i]) total += weights[i];
        }
        if (total == 0) throw new IllegalArgumentException("no live server to build a modula table over");
        int[] slots = new int[total];
        int next = 0;
        for (int server = 0; server < weights.length; server++) {
            if (!live[server]) continue;
            Arrays.fill(slots, next, next + weights[server], ids[server]);
            next += weights[server];
        }
        return new ModulaTable(slots);
    }

    @Override
    public int dispatch(int hash) {
        return slots[Integer.remainderUnsigned(hash, slots.length)];
    }

    int size() {
        return slots.length;
    }
}
