package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.ProxyFigures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * memcached's {@code stats} for a pool behind the proxy, in memcached's {@code STAT <name> <value>} ... {@code END}
 * format, so tools that speak memcached's stats work against the proxy. The general group gives memcached's
 * process fields with the proxy's own figures, then the pool's nutcracker stats; {@code settings} the pool's
 * config; {@code servers} the per-server stats (shardgate's own group). The groups about a server's memory
 * ({@code items}, {@code slabs}, {@code sizes}) are empty: the proxy stores nothing. memcached's other groups
 * get a clear refusal, unknown ones memcached's {@code ERROR}.
 */
final class StatsReply {
    private static final List<String> EMPTY_GROUPS = List.of("items", "slabs", "sizes");
    private static final List<String> UNSUPPORTED_GROUPS = List.of("detail", "conns", "reset", "cachedump",
            "extstore");
    private static final List<String> GET_COMMANDS = List.of("get", "gets", "gat", "gats");
    private static final List<String> SET_COMMANDS = List.of("set", "add", "replace", "append", "prepend", "cas");
    private static final List<String> TOUCH_COMMANDS = List.of("touch", "gat", "gats");

    private StatsReply() {}

    /** The kind of answer a group needs. */
    enum Group { GENERAL, SETTINGS, SERVERS, EMPTY, UNSUPPORTED, UNKNOWN }

    /** {@code args} is what follows {@code stats} on the line, or empty. */
    static Group group(String args) {
        if (args.isEmpty()) return Group.GENERAL;
        String name = args.split(" ", 2)[0];
        boolean single = !args.contains(" ");
        if (single && name.equals("settings")) return Group.SETTINGS;
        if (single && name.equals("servers")) return Group.SERVERS;
        if (single && EMPTY_GROUPS.contains(name)) return Group.EMPTY;
        if (UNSUPPORTED_GROUPS.contains(name)) return Group.UNSUPPORTED;
        return Group.UNKNOWN;
    }

    static ByteBuf general(ByteBufAllocator alloc, ProxyFigures f) {
        StringBuilder out = new StringBuilder(2048);
        stat(out, "pid", f.pid());
        stat(out, "uptime", f.uptimeSeconds());
        stat(out, "time", f.timeSeconds());
        stat(out, "version", "shardgate-" + f.version());
        stat(out, "pointer_size", 64);
        double[] rusage = rusage();
        if (rusage != null) {
            stat(out, "rusage_user", String.format(java.util.Locale.ROOT, "%.6f", rusage[0]));
            stat(out, "rusage_system", String.format(java.util.Locale.ROOT, "%.6f", rusage[1]));
        }
        stat(out, "curr_connections", f.pool().getOrDefault("client_connections", 0L));
        stat(out, "total_connections", f.poolClientsAccepted());
        stat(out, "threads", f.workers());
        stat(out, "cmd_get", sum(f.commands(), GET_COMMANDS));
        stat(out, "cmd_set", sum(f.commands(), SET_COMMANDS));
        stat(out, "cmd_flush", f.commands().getOrDefault("flush_all", 0L));
        stat(out, "cmd_touch", sum(f.commands(), TOUCH_COMMANDS));
        for (Map.Entry<String, Long> e : f.commands().entrySet()) stat(out, "cmd_" + e.getKey() + "_requests", e.getValue());
        stat(out, "servers", f.servers().size());
        stat(out, "servers_ejected", f.ejected());
        for (Map.Entry<String, Long> e : f.pool().entrySet()) {
            if (!e.getKey().equals("client_connections")) stat(out, e.getKey(), e.getValue());
        }
        for (String serverStat : List.of("server_err", "server_timedout", "requests", "request_bytes", "responses",
                "response_bytes")) {
            long total = 0;
            for (Map<String, Long> server : f.servers().values()) total += server.getOrDefault(serverStat, 0L);
            stat(out, serverStat, total);
        }
        return end(alloc, out);
    }

    static ByteBuf servers(ByteBufAllocator alloc, ProxyFigures f) {
        StringBuilder out = new StringBuilder(256 + 400 * f.servers().size());
        for (Map.Entry<String, Map<String, Long>> server : f.servers().entrySet()) {
            for (Map.Entry<String, Long> e : server.getValue().entrySet()) {
                stat(out, server.getKey() + ":" + e.getKey(), e.getValue());
            }
        }
        return end(alloc, out);
    }

    static ByteBuf settings(ByteBufAllocator alloc, PoolConfig pool, int maxValueBytes) {
        StringBuilder out = new StringBuilder(1024);
        if (pool != null) {
            stat(out, "pool", pool.name());
            stat(out, "listen", pool.listen());
            stat(out, "hash", pool.hash().configName());
            stat(out, "hash_tag", pool.hashTag() == null ? "NULL" : pool.hashTag());
            stat(out, "distribution", pool.distribution().configName());
            stat(out, "timeout", pool.hasTimeout() ? pool.timeoutMs() : -1);
            stat(out, "servers", pool.servers().size());
            stat(out, "server_connections", pool.serverConnections());
            stat(out, "auto_eject_hosts", yesNo(pool.autoEjectHosts()));
            stat(out, "server_retry_timeout", pool.serverRetryTimeoutMs());
            stat(out, "server_failure_limit", pool.serverFailureLimit());
            stat(out, "client_connections", pool.clientConnections());
            stat(out, "flush_enabled", yesNo(pool.allowFlushAll()));
        }
        stat(out, "item_size_max", maxValueBytes);
        return end(alloc, out);
    }

    static ByteBuf empty() {
        return McReplies.of(McReplies.END);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static long sum(Map<String, Long> commands, List<String> names) {
        long total = 0;
        for (String n : names) total += commands.getOrDefault(n, 0L);
        return total;
    }

    private static void stat(StringBuilder out, String name, Object value) {
        out.append("STAT ").append(name).append(' ').append(value).append("\r\n");
    }

    private static ByteBuf end(ByteBufAllocator alloc, StringBuilder out) {
        out.append("END\r\n");
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        return alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    /** User and system CPU seconds of this process from /proc (Linux), as memcached's rusage fields; else null. */
    private static double[] rusage() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double ticks = 100.0; // USER_HZ: 100 on every Linux the JVM runs on
            return new double[] {Long.parseLong(f[11]) / ticks, Long.parseLong(f[12]) / ticks};
        } catch (java.io.IOException | RuntimeException notLinux) {
            return null;
        }
    }
}
