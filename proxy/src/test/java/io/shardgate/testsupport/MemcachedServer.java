package io.shardgate.testsupport;

import java.util.ArrayList;
import java.util.List;

/** A real memcached on a loopback port. */
public final class MemcachedServer extends ExternalServer {
    private MemcachedServer(int port, List<String> extraArgs) {
        super("memcached", command(port, extraArgs), port);
    }

    private static List<String> command(int port, List<String> extraArgs) {
        List<String> cmd = new ArrayList<>(List.of(requireProgram("memcached"),
                "-l", "127.0.0.1", "-p", Integer.toString(port), "-U", "0", "-m", "64", "-t", "1", "-c", "4096"));
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "root")); // memcached refuses root otherwise
        cmd.addAll(extraArgs);
        return cmd;
    }

    /** Starts memcached on a free port. */
    public static MemcachedServer start(String... extraArgs) {
        return onPort(FreePorts.next(), extraArgs);
    }

    /** Starts memcached on the given port (ketama hashes host:port, so placement tests need fixed ports). */
    public static MemcachedServer onPort(int port, String... extraArgs) {
        MemcachedServer server = new MemcachedServer(port, List.of(extraArgs));
        server.launch();
        return server;
    }
}
