package io.shardgate.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short fingerprint of a validated config: SHA-256 over every pool with every key as the proxy applies it
 * (defaults filled in), so two files that differ only in comments, layout or key order have the same digest, and
 * any change that alters what the proxy does changes it. A redis password enters only as "set" or "unset", so the
 * digest cannot be used to guess it.
 */
public final class ConfigDigest {
    private ConfigDigest() {}

    /** {@code sha256:} and the first 12 hex digits of the digest. */
    public static String of(ProxyConfig config) {
        StringBuilder canonical = new StringBuilder();
        for (PoolConfig pool : config.pools()) canonical.append(withoutSecret(pool)).append('\n');
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static PoolConfig withoutSecret(PoolConfig p) {
        return new PoolConfig(p.name(), p.listen(), p.hash(), p.hashTag(), p.distribution(), p.timeoutMs(), p.backlog(),
                p.clientConnections(), p.redis(), p.redisAuth() == null ? "unset" : "set", p.redisDb(), p.preconnect(),
                p.autoEjectHosts(), p.serverConnections(), p.serverRetryTimeoutMs(), p.serverFailureLimit(),
                p.tcpKeepalive(), p.servers(), p.failurePolicy(), p.allowFlushAll());
    }
}
