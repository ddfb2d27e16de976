package io.shardgate.config;

import java.util.Objects;

/**
 * One backend from a pool's {@code servers} list: {@code host:port:weight [name]}.
 *
 * @param name the optional node name, or null; when present it identifies the server on the ketama continuum
 */
public record ServerConfig(String host, int port, int weight, String name) {
    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (weight < 1) throw new IllegalArgumentException("weight must be positive: " + weight);
    }

    /** {@code host:port}, how logs and stats name the server. */
    public String address() {
        return host + ":" + port;
    }

    /** memcached's port, which nutcracker leaves out of an unnamed server's name (as libmemcached does). */
    public static final int MEMCACHED_DEFAULT_PORT = 11211;

    /**
     * The server's name in nutcracker: the node name when given, else {@code host:port}, or the bare {@code host}
     * when the port is 11211 (libmemcached compatibility, nc_conf.c). Two servers of a pool may not share it.
     */
    public String nutcrackerName() {
        if (name != null) return name;
        return port == MEMCACHED_DEFAULT_PORT ? host : address();
    }

    /** The identity nutcracker hashes onto the ketama continuum: {@link #nutcrackerName()}. */
    public String ketamaName() {
        return nutcrackerName();
    }

    /** The name nutcracker's stats use for this server: {@link #nutcrackerName()} too. */
    public String statsName() {
        return nutcrackerName();
    }
}
