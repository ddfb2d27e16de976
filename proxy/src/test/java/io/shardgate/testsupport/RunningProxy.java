package io.shardgate.testsupport;

import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** shardgate in this JVM, started from a YAML config through the real config loader. */
public final class RunningProxy implements AutoCloseable {
    private final ShardGateServer server;
    private final ProxyConfig config;

    private RunningProxy(ProxyConfig config, ShardGateServer server) {
        this.config = config;
        this.server = server;
    }

    public static RunningProxy start(String yaml) {
        try {
            ProxyConfig config = ConfigLoader.parse(yaml, Path.of("test.yml"));
            return new RunningProxy(config, ShardGateServer.start(config, ServerSettings.defaults().withWorkers(2)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the proxy: " + e.getMessage(), e);
        }
    }

    /** The listening port of the first pool. */
    public int port() {
        return ((InetSocketAddress) server.listenAddresses().get(0)).getPort();
    }

    /** nutcracker's stats report from the stats port, as JSON text. */
    public String statsJson() {
        java.net.InetSocketAddress address = server.stats().statsAddress();
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", address.getPort()), 2000);
            socket.setSoTimeout(5000);
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The transport the proxy's event loops run on. */
    public io.shardgate.transport.Transport transport() {
        return server.transport();
    }

    public ProxyConfig config() {
        return config;
    }

    public RawClient client() {
        return RawClient.connect(port());
    }

    @Override
    public void close() {
        server.close();
    }
}
