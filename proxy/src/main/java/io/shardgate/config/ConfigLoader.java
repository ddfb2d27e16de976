package io.shardgate.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a nutcracker (twemproxy 0.5.0) YAML config file into a {@link ProxyConfig}.
 *
 * <p>Two stages: {@link YamlTreeReader} turns the text into a {@link YamlNode} tree (YAML syntax, duplicate keys),
 * then this class validates the tree pool by pool into {@link PoolConfig} records, applying nutcracker's defaults.
 * The first problem found is thrown as a {@link ConfigException}; nothing is logged here.
 *
 * <p>What the loader accepts is what nutcracker 0.5.0's {@code -t} accepts, with a few deliberate differences
 * listed in docs/CONFIG.md. Two questions are kept apart from loading, so that a config can be parsed whatever the
 * proxy core supports today: {@link #checkSupported} refuses what shardgate cannot serve at all (nothing, now that
 * redis pools are served), and {@link #warnings} lists keys that are read but whose behaviour the core does not
 * have yet.
 */
public final class ConfigLoader {
    /** Every key nutcracker 0.5.0 documents for a pool. */
    public static final Set<String> POOL_KEYS = Set.of("listen", "hash", "hash_tag", "distribution", "timeout",
            "backlog", "client_connections", "redis", "redis_auth", "redis_db", "preconnect", "auto_eject_hosts",
            "server_connections", "server_retry_timeout", "server_failure_limit", "tcpkeepalive", "servers");

    /** shardgate's own pool keys, beyond nutcracker's: failure handling options and allow_flush_all. */
    public static final Set<String> SHARDGATE_POOL_KEYS = Set.of("eject_policy", "readmit_probe", "flap_damping",
            "partial_multiget", "allow_flush_all");

    private final Path file;

    private ConfigLoader(Path file) {
        this.file = file;
    }

    /** Reads and validates {@code file}. */
    public static ProxyConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null, null, "cannot open the config file: no such file");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, null, null, "the config file is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, null, "cannot read the config file: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Validates {@code yaml} as the content of {@code file}; the path only names the file in messages. */
    public static ProxyConfig parse(String yaml, Path file) throws ConfigException {
        return new ConfigLoader(file).validate(YamlTreeReader.read(yaml, file));
    }

    /**
     * Refuses a config that loads but that shardgate cannot serve at all. Every pool nutcracker 0.5.0 accepts
     * is served now (memcached and redis); the CLI still calls this after {@link #load}, so a future limit has
     * one place to go.
     */
    public static void checkSupported(ProxyConfig config) throws ConfigException {
        // nothing is refused
    }

    /** The keys of {@code config} that are read but not acted on yet, one warning per pool and key; see {@link NotYetEnforced}. */
    public static List<ConfigWarning> warnings(ProxyConfig config) {
        return NotYetEnforced.warnings(config);
    }

    // ---- validation of the tree ----

    /** A validated pool with what the cross-pool checks need. */
    private record Checked(PoolConfig pool, int listenLine, InetAddress listenHost) {}

    private ProxyConfig validate(YamlNode root) throws ConfigException {
        if (root == null || root instanceof YamlNode.Mapping m && m.entries().isEmpty()) {
            throw fileError(0, "has no pools; a config maps each pool name to its settings");
        }
        if (!(root instanceof YamlNode.Mapping mapping)) {
            throw fileError(root.line(), "the top level must map pool names to their settings, found " + root.kind());
        }
        List<Checked> pools = new ArrayList<>();
        for (YamlNode.Entry entry : mapping.entries()) {
            Checked pool = pool(entry);
            checkListenUnique(pool, pools);
            pools.add(pool);
        }
        return new ProxyConfig(file, pools.stream().map(Checked::pool).toList());
    }

    private Checked pool(YamlNode.Entry entry) throws ConfigException {
        String name = entry.key();
        if (name.isEmpty()) throw fileError(entry.line(), "a pool name cannot be empty");
        if (!(entry.value() instanceof YamlNode.Mapping settings)) {
            if (entry.value() instanceof YamlNode.Scalar s && s.isEmpty()) {
                throw new ConfigException(file, entry.line(), name, null,
                        "has no settings; 'listen' and 'servers' are required");
            }
            throw new ConfigException(file, entry.line(), name, null,
                    "must map keys to values, found " + entry.value().kind());
        }
        PoolReader r = new PoolReader(name, entry.line());
        for (YamlNode.Entry e : settings.entries()) {
            r.set(e);
        }
        return r.build();
    }

    private void checkListenUnique(Checked pool, List<Checked> earlier) throws ConfigException {
        ListenAddress listen = pool.pool().listen();
        for (Checked other : earlier) {
            ListenAddress o = other.pool().listen();
            boolean same = listen.isUnix()
                    ? o.isUnix() && o.unixPath().equals(listen.unixPath())
                    : !o.isUnix() && o.port() == listen.port()
                            && (o.host().equals(listen.host()) || other.listenHost().equals(pool.listenHost()));
            if (same) {
                String mine = listen.isUnix() ? listen.unixPath() : listen.host() + ":" + listen.port();
                String theirs = o.isUnix() ? o.unixPath() : o.host() + ":" + o.port();
                String problem = mine.equals(theirs)
                        ? "'" + mine + "' is already the listen address of pool '" + other.pool().name() + "'"
                        : "'" + mine + "' is the same address as the listen '" + theirs + "' of pool '"
                                + other.pool().name() + "'";
                throw new ConfigException(file, pool.listenLine(), pool.pool().name(), "listen",
                        problem + " (line " + other.listenLine() + ")");
            }
        }
    }

    private ConfigException fileError(int line, String problem) {
        return new ConfigException(file, line, null, null, problem);
    }

    /** Collects one pool's keys, then applies defaults and the checks that span keys. */
    private final class PoolReader {
        private final String name;
        private final int line;

        private ListenAddress listen;
        private int listenLine;
        private InetAddress listenHost;
        private HashKind hash = PoolConfig.DEFAULT_HASH;
        private String hashTag;
        private DistributionKind distribution = PoolConfig.DEFAULT_DISTRIBUTION;
        private long timeoutMs = PoolConfig.DEFAULT_TIMEOUT_MS;
        private int backlog = PoolConfig.DEFAULT_BACKLOG;
        private int clientConnections = PoolConfig.DEFAULT_CLIENT_CONNECTIONS;
        private boolean redis;
        private String redisAuth;
        private int redisAuthLine;
        private int redisDb = PoolConfig.DEFAULT_REDIS_DB;
        private boolean preconnect;
        private boolean autoEjectHosts;
        private int serverConnections = PoolConfig.DEFAULT_SERVER_CONNECTIONS;
        private long serverRetryTimeoutMs = PoolConfig.DEFAULT_SERVER_RETRY_TIMEOUT_MS;
        private int serverFailureLimit = PoolConfig.DEFAULT_SERVER_FAILURE_LIMIT;
        private boolean tcpKeepalive;
        private FailurePolicy.EjectPolicy ejectPolicy = FailurePolicy.NUTCRACKER.ejectPolicy();
        private boolean readmitProbe;
        private boolean flapDamping;
        private boolean partialMultiget;
        private boolean allowFlushAll = PoolConfig.DEFAULT_ALLOW_FLUSH_ALL;
        private List<ServerConfig> servers;

        PoolReader(String name, int line) {
            this.name = name;
            this.line = line;
        }

        void set(YamlNode.Entry e) throws ConfigException {
            String key = e.key();
            if (key.equals("servers")) {
                servers = servers(e);
                return;
            }
            if (!POOL_KEYS.contains(key) && !SHARDGATE_POOL_KEYS.contains(key)) {
                String hint = key.equals("reuseport")
                        ? " (reuseport came after twemproxy 0.5.0; shardgate follows 0.5.0)"
                        : "; known keys: " + String.join(", ", POOL_KEYS.stream().sorted().toList())
                                + "; shardgate's own: " + String.join(", ", SHARDGATE_POOL_KEYS.stream().sorted().toList());
                throw error(e, "is unknown" + hint);
            }
            String v = scalar(e);
            try {
                switch (key) {
                    case "listen" -> {
                        listen = ValueSyntax.listen(v);
                        listenLine = e.line();
                        listenHost = listen.isUnix() ? null : ValueSyntax.resolve(listen.host(), v);
                    }
                    case "hash" -> hash = HashKind.byConfigName(v).orElseThrow(() -> new ValueSyntax.Invalid(
                            "'" + v + "' is not a valid hash; valid hashes: " + HashKind.validNames()));
                    case "hash_tag" -> hashTag = ValueSyntax.hashTag(v);
                    case "distribution" -> distribution = DistributionKind.byConfigName(v).orElseThrow(
                            () -> new ValueSyntax.Invalid("'" + v + "' is not a valid distribution; valid "
                                    + "distributions: " + DistributionKind.validNames()));
                    case "timeout" -> {
                        int t = ValueSyntax.number(v);
                        // nutcracker sets no timer for a timeout of 0: it waits forever, like no timeout at all
                        timeoutMs = t == 0 ? PoolConfig.NO_TIMEOUT : t;
                    }
                    case "backlog" -> backlog = ValueSyntax.number(v);
                    case "client_connections" -> clientConnections = ValueSyntax.number(v);
                    case "redis" -> redis = ValueSyntax.bool(v);
                    case "redis_auth" -> {
                        redisAuth = v;
                        redisAuthLine = e.line();
                    }
                    case "redis_db" -> redisDb = ValueSyntax.number(v);
                    case "preconnect" -> preconnect = ValueSyntax.bool(v);
                    case "auto_eject_hosts" -> autoEjectHosts = ValueSyntax.bool(v);
                    case "server_connections" -> {
                        serverConnections = ValueSyntax.number(v);
                        if (serverConnections == 0) {
                            throw new ValueSyntax.Invalid("cannot be 0 (the least is 1 connection per server)");
                        }
                    }
                    case "server_retry_timeout" -> serverRetryTimeoutMs = ValueSyntax.number(v);
                    case "server_failure_limit" -> serverFailureLimit = ValueSyntax.number(v);
                    case "tcpkeepalive" -> tcpKeepalive = ValueSyntax.bool(v);
                    case "eject_policy" -> ejectPolicy = java.util.Arrays.stream(FailurePolicy.EjectPolicy.values())
                            .filter(p -> p.configName().equals(v)).findFirst()
                            .orElseThrow(() -> new ValueSyntax.Invalid("'" + v + "' is not a valid eject policy; valid "
                                    + "policies: rehash, fail, miss"));
                    case "readmit_probe" -> readmitProbe = ValueSyntax.bool(v);
                    case "flap_damping" -> flapDamping = ValueSyntax.bool(v);
                    case "partial_multiget" -> partialMultiget = ValueSyntax.bool(v);
                    case "allow_flush_all" -> allowFlushAll = ValueSyntax.bool(v);
                    default -> throw new IllegalStateException("key without a reader: " + key);
                }
            } catch (ValueSyntax.Invalid invalid) {
                throw error(e, invalid.getMessage());
            }
        }

        private String scalar(YamlNode.Entry e) throws ConfigException {
            if (!(e.value() instanceof YamlNode.Scalar s)) {
                throw error(e, "expected a single value, found " + e.value().kind());
            }
            if (s.isEmpty()) throw error(e, "has no value");
            return s.text();
        }

        private List<ServerConfig> servers(YamlNode.Entry e) throws ConfigException {
            if (e.value() instanceof YamlNode.Scalar s && s.isEmpty()) {
                throw error(e, "has no servers; list them as '- host:port:weight [name]' lines");
            }
            if (!(e.value() instanceof YamlNode.Sequence seq)) {
                throw error(e, "expected a list of '- host:port:weight [name]' lines, found " + e.value().kind());
            }
            if (seq.items().isEmpty()) throw error(e, "has no servers; list them as '- host:port:weight [name]' lines");
            List<ServerConfig> result = new ArrayList<>();
            Map<String, YamlNode.Scalar> byName = new HashMap<>();
            for (YamlNode item : seq.items()) {
                if (!(item instanceof YamlNode.Scalar s) || s.isEmpty()) {
                    String found = item instanceof YamlNode.Scalar ? "an empty entry" : item.kind();
                    throw new ConfigException(file, item.line(), name, "servers",
                            "expected a 'host:port:weight [name]' line, found " + found);
                }
                ServerConfig server;
                try {
                    server = ValueSyntax.server(s.text());
                } catch (ValueSyntax.Invalid invalid) {
                    throw new ConfigException(file, s.line(), name, "servers", invalid.getMessage());
                }
                // nutcracker refuses two servers with the same name; unnamed servers are named by their address
                YamlNode.Scalar first = byName.putIfAbsent(server.nutcrackerName(), s);
                if (first != null) {
                    throw new ConfigException(file, s.line(), name, "servers", "'" + s.text() + "' has the same name '"
                            + server.nutcrackerName() + "' as '" + first.text() + "' on line " + first.line()
                            + " (a server is named by its name field, else by host:port, or host alone for port "
                            + ServerConfig.MEMCACHED_DEFAULT_PORT + ")");
                }
                result.add(server);
            }
            return result;
        }

        Checked build() throws ConfigException {
            if (listen == null) {
                throw new ConfigException(file, line, name, "listen", "is missing; every pool needs a listen address");
            }
            if (servers == null) {
                throw new ConfigException(file, line, name, "servers",
                        "is missing; list the pool's servers as '- host:port:weight [name]' lines");
            }
            if (redisAuth != null && !redis) {
                throw new ConfigException(file, redisAuthLine, name, "redis_auth",
                        "is only valid in a redis pool ('redis: true')");
            }
            PoolConfig pool = new PoolConfig(name, listen, hash, hashTag, distribution, timeoutMs, backlog,
                    clientConnections, redis, redisAuth, redisDb, preconnect, autoEjectHosts, serverConnections,
                    serverRetryTimeoutMs, serverFailureLimit, tcpKeepalive, servers,
                    new FailurePolicy(ejectPolicy, readmitProbe, flapDamping, partialMultiget), allowFlushAll);
            return new Checked(pool, listenLine, listenHost);
        }

        private ConfigException error(YamlNode.Entry e, String problem) {
            return new ConfigException(file, e.line(), name, e.key(), problem);
        }
    }
}
