package io.shardgate.bench;

/** Placeholder until the load generator lands. */
public final class LoadGenerator {
    private LoadGenerator() {}

    public static void main(String[] args) {
        System.err.println("load generator: not built yet");
    }
}
