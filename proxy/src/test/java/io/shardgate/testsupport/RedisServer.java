package io.shardgate.testsupport;

import java.util.ArrayList;
import java.util.List;

/** A real redis-server on a loopback port, with persistence off. */
public final class RedisServer extends ExternalServer {
    private RedisServer(int port, List<String> extraArgs) {
        super("redis", command(port, extraArgs), port);
    }

    private static List<String> command(int port, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(requireProgram("redis-server"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--protected-mode", "no"));
        cmd.addAll(extraArgs);
        return cmd;
    }

    public static RedisServer start(String... extraArgs) {
        return onPort(FreePorts.next(), extraArgs);
    }

    public static RedisServer onPort(int port, String... extraArgs) {
        RedisServer server = new RedisServer(port, List.of(extraArgs));
        server.launch();
        return server;
    }
}
