package io.shardgate.fuzz;

import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerConfig;

/**
 * Writes a loaded config back as nutcracker YAML, every value double-quoted with YAML escapes, so that the loader
 * can be asked to read back exactly what it accepted.
 */
final class ConfigYaml {
    private ConfigYaml() {}

    static String write(ProxyConfig config) {
        StringBuilder sb = new StringBuilder();
        for (PoolConfig p : config.pools()) {
            sb.append(quote(p.name())).append(":\n");
            key(sb, "listen", quote(p.listen().toString()));
            key(sb, "hash", quote(p.hash().configName()));
            if (p.hashTag() != null) key(sb, "hash_tag", quote(p.hashTag()));
            key(sb, "distribution", quote(p.distribution().configName()));
            if (p.timeoutMs() != PoolConfig.NO_TIMEOUT) key(sb, "timeout", Long.toString(p.timeoutMs()));
            key(sb, "backlog", Integer.toString(p.backlog()));
            key(sb, "client_connections", Integer.toString(p.clientConnections()));
            key(sb, "redis", Boolean.toString(p.redis()));
            if (p.redisAuth() != null) key(sb, "redis_auth", quote(p.redisAuth()));
            key(sb, "redis_db", Integer.toString(p.redisDb()));
            key(sb, "preconnect", Boolean.toString(p.preconnect()));
            key(sb, "auto_eject_hosts", Boolean.toString(p.autoEjectHosts()));
            key(sb, "server_connections", Integer.toString(p.serverConnections()));
            key(sb, "server_retry_timeout", Long.toString(p.serverRetryTimeoutMs()));
            key(sb, "server_failure_limit", Integer.toString(p.serverFailureLimit()));
            key(sb, "tcpkeepalive", Boolean.toString(p.tcpKeepalive()));
            key(sb, "eject_policy", quote(p.failurePolicy().ejectPolicy().configName()));
            key(sb, "readmit_probe", Boolean.toString(p.failurePolicy().readmitProbe()));
            key(sb, "flap_damping", Boolean.toString(p.failurePolicy().flapDamping()));
            key(sb, "partial_multiget", Boolean.toString(p.failurePolicy().partialMultiget()));
            sb.append("  servers:\n");
            for (ServerConfig s : p.servers()) {
                String line = s.host() + ":" + s.port() + ":" + s.weight() + (s.name() != null ? " " + s.name() : "");
                sb.append("   - ").append(quote(line)).append('\n');
            }
        }
        return sb.toString();
    }

    private static void key(StringBuilder sb, String key, String value) {
        sb.append("  ").append(key).append(": ").append(value).append('\n');
    }

    /** A YAML double-quoted scalar; characters YAML may not hold raw are escaped. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c != 0xfeff)
                    || Character.isSurrogate(c)) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.append('"').toString();
    }
}
