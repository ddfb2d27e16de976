package io.shardgate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real nutcracker (twemproxy) with a given YAML config, for side-by-side comparisons. The config must make
 * its single pool listen on {@code 127.0.0.1:port}.
 */
public final class NutcrackerServer extends ExternalServer {
    private final int statsPort;

    private NutcrackerServer(Path config, int port, int statsPort, List<String> extraArgs) {
        super("nutcracker", command(config, statsPort, extraArgs), port);
        this.statsPort = statsPort;
    }

    private static List<String> command(Path config, int statsPort, List<String> extraArgs) {
        List<String> cmd = new java.util.ArrayList<>(List.of(requireProgram("nutcracker"), "-c", config.toString(),
                "-s", Integer.toString(statsPort), "-a", "127.0.0.1", "-v", "4"));
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** Writes {@code yaml} to a temporary file and starts nutcracker with it, waiting for {@code port}. */
    public static NutcrackerServer start(String yaml, int port) {
        return start(yaml, port, new String[0]);
    }

    /** As {@link #start(String, int)} with more flags, e.g. {@code -i 100} for a stats interval of 100 ms. */
    public static NutcrackerServer start(String yaml, int port, String... extraArgs) {
        try {
            Path config = Files.createTempFile("nutcracker-", ".yml");
            Files.writeString(config, yaml);
            NutcrackerServer server = new NutcrackerServer(config, port, FreePorts.next(), List.of(extraArgs));
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int statsPort() {
        return statsPort;
    }
}
