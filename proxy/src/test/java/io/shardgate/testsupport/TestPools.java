package io.shardgate.testsupport;

import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.config.DistributionKind;
import io.shardgate.config.HashKind;
import java.util.List;

/** Pool configs for tests, with nutcracker's defaults and a listener on a free loopback port. */
public final class TestPools {
    private TestPools() {}

    public static PoolConfig memcache(String name, List<? extends ExternalServer> servers) {
        return memcache(name, servers, PoolConfig.NO_TIMEOUT);
    }

    public static PoolConfig memcache(String name, List<? extends ExternalServer> servers, long timeoutMs) {
        List<ServerConfig> serverConfigs = servers.stream()
                .map(s -> new ServerConfig("127.0.0.1", s.port(), 1, null))
                .toList();
        return new PoolConfig(name, ListenAddress.tcp("127.0.0.1", 0), HashKind.FNV1A_64, null,
                DistributionKind.KETAMA, timeoutMs, 512, 0, false, null, 0, false, false, 1, 30_000, 2, false,
                serverConfigs);
    }
}
