package io.shardgate.routing;

/** Maps a key hash to a server index; one immutable table per distribution, built over the live servers only. */
sealed interface Dispatcher permits KetamaContinuum, ModulaTable, RandomPicker {

    /** The index, in the pool's configured server list, of the server for {@code hash} (a uint32 in an int). */
    int dispatch(int hash);

    /** False when the key does not matter (random), so callers can skip hashing it. */
    default boolean usesHash() {
        return true;
    }
}
