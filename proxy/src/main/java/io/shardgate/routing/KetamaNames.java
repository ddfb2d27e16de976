package io.shardgate.routing;

import io.shardgate.config.ServerConfig;

/** The string nutcracker puts on the ketama continuum for a server. */
public final class KetamaNames {
    /** libmemcached's default port, which nutcracker leaves out of the name for compatibility. */
    static final int LIBMEMCACHED_DEFAULT_PORT = 11211;

    private KetamaNames() {}

    /**
     * The node name when the config gives one; otherwise {@code host:port}, except that a server on port 11211 is
     * named by its host alone (nutcracker's conf_add_server keeps libmemcached's naming). This differs from
     * {@link ServerConfig#ketamaName()} for port 11211, and it is this one that matches nutcracker's placement.
     */
    public static String of(ServerConfig server) {
        if (server.name() != null) return server.name();
        return server.port() == LIBMEMCACHED_DEFAULT_PORT ? server.host() : server.host() + ":" + server.port();
    }
}
