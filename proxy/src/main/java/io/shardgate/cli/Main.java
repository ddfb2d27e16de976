package io.shardgate.cli;

/** Entry point; the command line is built in the config/CLI work. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("shardgate: not built yet");
        System.exit(1);
    }
}
