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

    /** The identity nutcracker hashes onto the ketama continuum: the node name when given, else {@code host:port}. */
    public String ketamaName() {
        return name != null ? name : address();
    }

    /** The name nutcracker's stats use for this server: the node name when given, else {@code host:port:weight}. */
    public String statsName() {
        return name != null ? name : host + ":" + port + ":" + weight;
    }
}
