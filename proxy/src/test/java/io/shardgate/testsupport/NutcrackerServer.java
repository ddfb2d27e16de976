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

    private NutcrackerServer(Path config, int port, int statsPort) {
        super("nutcracker", List.of(requireProgram("nutcracker"), "-c", config.toString(),
                "-s", Integer.toString(statsPort), "-a", "127.0.0.1", "-v", "4"), port);
        this.statsPort = statsPort;
    }

    /** Writes {@code yaml} to a temporary file and starts nutcracker with it, waiting for {@code port}. */
    public static NutcrackerServer start(String yaml, int port) {
        try {
            Path config = Files.createTempFile("nutcracker-", ".yml");
            Files.writeString(config, yaml);
            NutcrackerServer server = new NutcrackerServer(config, port, FreePorts.next());
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
