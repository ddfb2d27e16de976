package io.shardgate.protocol;

/** The version the proxy reports (memcached {@code version}, {@code -V}), from the jar's manifest. */
public final class ShardGateVersion {
    private ShardGateVersion() {}

    public static String get() {
        String version = ShardGateVersion.class.getPackage().getImplementationVersion();
        return "shardgate-" + (version != null ? version : "dev");
    }
}
