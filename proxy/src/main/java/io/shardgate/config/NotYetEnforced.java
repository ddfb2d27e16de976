package io.shardgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The pool keys shardgate reads but whose behaviour the proxy core does not have yet. A pool that sets one of
 * them to anything but nutcracker's default gets a warning at start, so no setting is silently ignored.
 *
 * <p>When the core gains a feature, delete its row from {@link #RULES} (and update docs/CONFIG.md).
 */
public final class NotYetEnforced {
    private NotYetEnforced() {}

    /** One key: when a pool's value matters, how to print it, and what happens instead. */
    record Rule(String key, Predicate<PoolConfig> isSet, Function<PoolConfig, Object> value, String meanwhile) {}

    static final List<Rule> RULES = List.of(
            new Rule("timeout", PoolConfig::hasTimeout, p -> p.timeoutMs() + " ms",
                    "requests wait for their server without a time limit"),
            new Rule("auto_eject_hosts", PoolConfig::autoEjectHosts, PoolConfig::autoEjectHosts,
                    "failing servers are never ejected from the pool"),
            new Rule("server_failure_limit",
                    p -> p.serverFailureLimit() != PoolConfig.DEFAULT_SERVER_FAILURE_LIMIT,
                    PoolConfig::serverFailureLimit, "failing servers are never ejected from the pool"),
            new Rule("server_retry_timeout",
                    p -> p.serverRetryTimeoutMs() != PoolConfig.DEFAULT_SERVER_RETRY_TIMEOUT_MS,
                    p -> p.serverRetryTimeoutMs() + " ms", "failing servers are never ejected from the pool"),
            new Rule("preconnect", PoolConfig::preconnect, PoolConfig::preconnect,
                    "server connections open on first use"),
            new Rule("tcpkeepalive", PoolConfig::tcpKeepalive, PoolConfig::tcpKeepalive,
                    "server connections do not use TCP keepalive"),
            new Rule("client_connections",
                    p -> p.clientConnections() != PoolConfig.DEFAULT_CLIENT_CONNECTIONS,
                    PoolConfig::clientConnections,
                    "client connections are not limited (nutcracker 0.5.0 ignores this key as well)"));

    /** The keys named in {@link #RULES}, for docs and tests. */
    public static List<String> keys() {
        return RULES.stream().map(Rule::key).toList();
    }

    static List<ConfigWarning> warnings(ProxyConfig config) {
        List<ConfigWarning> warnings = new ArrayList<>();
        for (PoolConfig pool : config.pools()) {
            for (Rule rule : RULES) {
                if (rule.isSet().test(pool)) {
                    warnings.add(new ConfigWarning(pool.name(), rule.key(), String.valueOf(rule.value().apply(pool)),
                            rule.meanwhile()));
                }
            }
        }
        return warnings;
    }
}
