package io.shardgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("conf/test.yml");

    /** A pool with the two required keys, for tests that add one more key. */
    private static String pool(String extraLines) {
        return "alpha:\n  listen: 127.0.0.1:22121\n" + extraLines + "  servers:\n   - 127.0.0.1:11211:1\n";
    }

    private static ProxyConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, FILE);
    }

    private static PoolConfig onlyPool(String yaml) throws ConfigException {
        ProxyConfig config = parse(yaml);
        assertThat(config.pools()).hasSize(1);
        return config.pools().get(0);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String yaml) {
        return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class);
    }

    private static ConfigException error(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void nutcrackersExampleConfigParses() throws Exception {
        // The five pools of twemproxy's conf/nutcracker.yml, written out here with the same keys and values.
        String yaml = """
                alpha:
                  listen: 127.0.0.1:22121
                  hash: fnv1a_64
                  distribution: ketama
                  auto_eject_hosts: true
                  redis: true
                  server_retry_timeout: 2000
                  server_failure_limit: 1
                  servers:
                   - 127.0.0.1:6379:1

                beta:
                  listen: 127.0.0.1:22122
                  hash: fnv1a_64
                  hash_tag: "{}"
                  distribution: ketama
                  auto_eject_hosts: false
                  timeout: 400
                  redis: true
                  servers:
                   - 127.0.0.1:6380:1 server1
                   - 127.0.0.1:6381:1 server2
                   - 127.0.0.1:6382:1 server3
                   - 127.0.0.1:6383:1 server4

                gamma:
                  listen: 127.0.0.1:22123
                  hash: fnv1a_64
                  distribution: ketama
                  timeout: 400
                  backlog: 1024
                  preconnect: true
                  auto_eject_hosts: true
                  server_retry_timeout: 2000
                  server_failure_limit: 3
                  servers:
                   - 127.0.0.1:11212:1
                   - 127.0.0.1:11213:1

                delta:
                  listen: 127.0.0.1:22124
                  hash: fnv1a_64
                  distribution: ketama
                  timeout: 100
                  auto_eject_hosts: true
                  server_retry_timeout: 2000
                  server_failure_limit: 1
                  servers:
                   - 127.0.0.1:11214:1
                   - 127.0.0.1:11215:1
                   - 127.0.0.1:11216:1
                   - 127.0.0.1:11217:1
                   - 127.0.0.1:11218:1
                   - 127.0.0.1:11219:1
                   - 127.0.0.1:11220:1
                   - 127.0.0.1:11221:1
                   - 127.0.0.1:11222:1
                   - 127.0.0.1:11223:1

                omega:
                  listen: /tmp/gamma
                  hash: hsieh
                  distribution: ketama
                  auto_eject_hosts: false
                  servers:
                   - 127.0.0.1:11214:100000
                   - 127.0.0.1:11215:1
                """;
        ProxyConfig config = parse(yaml);

        assertThat(config.source()).isEqualTo(FILE);
        assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("alpha", "beta", "gamma", "delta", "omega");

        PoolConfig alpha = config.pools().get(0);
        assertThat(alpha.redis()).isTrue();
        assertThat(alpha.autoEjectHosts()).isTrue();
        assertThat(alpha.serverRetryTimeoutMs()).isEqualTo(2000);
        assertThat(alpha.serverFailureLimit()).isEqualTo(1);
        assertThat(alpha.servers()).containsExactly(new ServerConfig("127.0.0.1", 6379, 1, null));

        PoolConfig beta = config.pools().get(1);
        assertThat(beta.hashTag()).isEqualTo("{}");
        assertThat(beta.timeoutMs()).isEqualTo(400);
        assertThat(beta.servers()).extracting(ServerConfig::name).containsExactly("server1", "server2", "server3", "server4");
        assertThat(beta.servers().get(3)).isEqualTo(new ServerConfig("127.0.0.1", 6383, 1, "server4"));

        PoolConfig gamma = config.pools().get(2);
        assertThat(gamma.backlog()).isEqualTo(1024);
        assertThat(gamma.preconnect()).isTrue();
        assertThat(gamma.serverFailureLimit()).isEqualTo(3);

        assertThat(config.pools().get(3).servers()).hasSize(10);

        PoolConfig omega = config.pools().get(4);
        assertThat(omega.listen()).isEqualTo(ListenAddress.unix("/tmp/gamma", -1));
        assertThat(omega.hash()).isEqualTo(HashKind.HSIEH);
        assertThat(omega.servers().get(0).weight()).isEqualTo(100000);
    }

    @Test
    void leftOutKeysTakeNutcrackersDefaults() throws Exception {
        PoolConfig p = onlyPool(pool(""));

        assertThat(p.name()).isEqualTo("alpha");
        assertThat(p.listen()).isEqualTo(ListenAddress.tcp("127.0.0.1", 22121));
        assertThat(p.hash()).isEqualTo(HashKind.FNV1A_64);
        assertThat(p.hashTag()).isNull();
        assertThat(p.distribution()).isEqualTo(DistributionKind.KETAMA);
        assertThat(p.timeoutMs()).isEqualTo(PoolConfig.NO_TIMEOUT);
        assertThat(p.hasTimeout()).isFalse();
        assertThat(p.backlog()).isEqualTo(512);
        assertThat(p.clientConnections()).isZero();
        assertThat(p.redis()).isFalse();
        assertThat(p.redisAuth()).isNull();
        assertThat(p.redisDb()).isZero();
        assertThat(p.preconnect()).isFalse();
        assertThat(p.autoEjectHosts()).isFalse();
        assertThat(p.serverConnections()).isEqualTo(1);
        assertThat(p.serverRetryTimeoutMs()).isEqualTo(30_000);
        assertThat(p.serverFailureLimit()).isEqualTo(2);
        assertThat(p.tcpKeepalive()).isFalse();
        assertThat(p).isEqualTo(PoolConfig.withDefaults("alpha", ListenAddress.tcp("127.0.0.1", 22121),
                List.of(new ServerConfig("127.0.0.1", 11211, 1, null))));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        PoolConfig p = onlyPool("""
                beta:
                  listen: 0.0.0.0:22122
                  hash: murmur
                  hash_tag: "$$"
                  distribution: modula
                  timeout: 250
                  backlog: 64
                  client_connections: 100
                  redis: true
                  redis_auth: s3cret
                  redis_db: 3
                  preconnect: true
                  auto_eject_hosts: true
                  server_connections: 4
                  server_retry_timeout: 500
                  server_failure_limit: 5
                  tcpkeepalive: true
                  servers:
                   - 10.0.0.1:6379:2
                """);
        assertThat(p).isEqualTo(new PoolConfig("beta", ListenAddress.tcp("0.0.0.0", 22122), HashKind.MURMUR, "$$",
                DistributionKind.MODULA, 250, 64, 100, true, "s3cret", 3, true, true, 4, 500, 5, true,
                List.of(new ServerConfig("10.0.0.1", 6379, 2, null))));
    }

    @Test
    void valuesMeanWhatTheySayToNutcrackerNotToYaml() throws Exception {
        // YAML 1.1 would read 0400 as octal and "400" as a string; nutcracker reads digits as decimal either way.
        assertThat(onlyPool(pool("  timeout: 0400\n")).timeoutMs()).isEqualTo(400);
        assertThat(onlyPool(pool("  timeout: \"400\"\n")).timeoutMs()).isEqualTo(400);
        assertThat(onlyPool(pool("  preconnect: \"true\"\n")).preconnect()).isTrue();
        assertThat(onlyPool(pool("  server_failure_limit: 0\n")).serverFailureLimit()).isZero();
        // a timeout of 0 sets no timer in nutcracker: the same as no timeout
        assertThat(onlyPool(pool("  timeout: 0\n")).timeoutMs()).isEqualTo(PoolConfig.NO_TIMEOUT);
        assertThat(onlyPool(pool("  timeout: 2147483647\n")).timeoutMs()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void flushAllIsAllowedUnlessThePoolRefusesIt() throws Exception {
        assertThat(onlyPool(pool("")).allowFlushAll()).isTrue();
        assertThat(onlyPool(pool("  allow_flush_all: false\n")).allowFlushAll()).isFalse();
        assertThat(onlyPool(pool("  allow_flush_all: true\n")).allowFlushAll()).isTrue();
        assertThat(error(pool("  allow_flush_all: never\n")).getMessage())
                .startsWith("conf/test.yml:3: pool 'alpha': key 'allow_flush_all': ");
    }

    @Test
    void everyHashAndDistributionNameIsAccepted() throws Exception {
        for (HashKind h : HashKind.values()) {
            assertThat(onlyPool(pool("  hash: " + h.configName() + "\n")).hash()).isEqualTo(h);
        }
        for (DistributionKind d : DistributionKind.values()) {
            assertThat(onlyPool(pool("  distribution: " + d.configName() + "\n")).distribution()).isEqualTo(d);
        }
    }

    @Nested
    class Listen {
        @Test
        void unixSocketWithOctalMode() throws Exception {
            PoolConfig p = onlyPool("u:\n  listen: /var/run/shardgate.sock 0666\n  servers:\n   - 127.0.0.1:11211:1\n");
            assertThat(p.listen()).isEqualTo(ListenAddress.unix("/var/run/shardgate.sock", 0666));
            assertThat(p.listen().isUnix()).isTrue();
        }

        @Test
        void unixSocketWithoutMode() throws Exception {
            PoolConfig p = onlyPool("u:\n  listen: /tmp/sg.sock\n  servers:\n   - 127.0.0.1:11211:1\n");
            assertThat(p.listen()).isEqualTo(ListenAddress.unix("/tmp/sg.sock", -1));
        }

        @Test
        void modeZeroMeansNoModeAsInNutcracker() throws Exception {
            PoolConfig p = onlyPool("u:\n  listen: /tmp/sg.sock 0\n  servers:\n   - 127.0.0.1:11211:1\n");
            assertThat(p.listen().unixMode()).isEqualTo(-1);
        }

        @Test
        void hostnameAndBareIpv6() throws Exception {
            assertThat(onlyPool("a:\n  listen: localhost:22121\n  servers:\n   - 127.0.0.1:11211:1\n").listen())
                    .isEqualTo(ListenAddress.tcp("localhost", 22121));
            // nutcracker splits at the last colon, so IPv6 is written without brackets
            assertThat(onlyPool("a:\n  listen: ::1:22121\n  servers:\n   - 127.0.0.1:11211:1\n").listen())
                    .isEqualTo(ListenAddress.tcp("::1", 22121));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "127.0.0.1         | '127.0.0.1' is not in the form host:port, nor an absolute unix socket path",
            "127.0.0.1:0       | '0' is not a valid port in '127.0.0.1:0' (expected 1 to 65535)",
            "127.0.0.1:65536   | '65536' is not a valid port in '127.0.0.1:65536' (expected 1 to 65535)",
            "127.0.0.1:http    | 'http' is not a valid port in '127.0.0.1:http' (expected 1 to 65535)",
            ":22121            | ':22121' has no host (use 0.0.0.0:22121 to listen on every address)",
            "\"[::1]:22121\"   | '[::1]:22121': nutcracker configs write IPv6 addresses without brackets, e.g. ::1:22121",
            "no-such-host.invalid:22121 | host 'no-such-host.invalid' in 'no-such-host.invalid:22121' does not resolve",
            "tmp/sg.sock       | 'tmp/sg.sock' is not in the form host:port, nor an absolute unix socket path",
            "/tmp/sg.sock 0999 | '0999' is not a valid socket file mode in '/tmp/sg.sock 0999' (expected an octal mode up to 0777, such as 0666)",
            "/tmp/sg.sock 1777 | '1777' is not a valid socket file mode in '/tmp/sg.sock 1777' (expected an octal mode up to 0777, such as 0666)",
        })
        void badListenAddresses(String listen, String problem) {
            ConfigException e = error("alpha:\n  listen: " + listen + "\n  servers:\n   - 127.0.0.1:11211:1\n");
            assertThat(e.getMessage()).isEqualTo("conf/test.yml:2: pool 'alpha': key 'listen': " + problem);
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.pool()).isEqualTo("alpha");
            assertThat(e.key()).isEqualTo("listen");
            assertThat(e.problem()).isEqualTo(problem);
        }

        @Test
        void twoPoolsCannotListenOnTheSameAddress() {
            assertThat(error("""
                    alpha:
                      listen: 127.0.0.1:22121
                      servers:
                       - 127.0.0.1:11211:1
                    beta:
                      listen: 127.0.0.1:22121
                      servers:
                       - 127.0.0.1:11212:1
                    """).getMessage()).isEqualTo("conf/test.yml:6: pool 'beta': key 'listen': '127.0.0.1:22121' is "
                    + "already the listen address of pool 'alpha' (line 2)");
        }

        @Test
        void twoPoolsCannotListenOnTheSameAddressWrittenDifferently() {
            // nutcracker compares the text only and fails later, at bind; shardgate compares resolved addresses
            assertThat(error("""
                    alpha:
                      listen: 127.0.0.1:22121
                      servers:
                       - 127.0.0.1:11211:1
                    beta:
                      listen: 127.000.0.1:22121
                      servers:
                       - 127.0.0.1:11212:1
                    """).getMessage()).isEqualTo("conf/test.yml:6: pool 'beta': key 'listen': '127.000.0.1:22121' is "
                    + "the same address as the listen '127.0.0.1:22121' of pool 'alpha' (line 2)");
        }

        @Test
        void twoPoolsCannotShareASocketPath() {
            assertThat(error("""
                    alpha:
                      listen: /tmp/a.sock
                      servers:
                       - 127.0.0.1:11211:1
                    beta:
                      listen: /tmp/a.sock 0600
                      servers:
                       - 127.0.0.1:11212:1
                    """).getMessage()).isEqualTo("conf/test.yml:6: pool 'beta': key 'listen': '/tmp/a.sock' is "
                    + "already the listen address of pool 'alpha' (line 2)");
        }

        @Test
        void differentPortsOnOneHostAreFine() throws Exception {
            assertThat(parse("""
                    alpha:
                      listen: 127.0.0.1:22121
                      servers:
                       - 127.0.0.1:11211:1
                    beta:
                      listen: 127.0.0.1:22122
                      servers:
                       - 127.0.0.1:11211:1
                    """).pools()).hasSize(2);
        }
    }

    @Nested
    class Servers {
        private List<ServerConfig> servers(String... lines) throws ConfigException {
            StringBuilder yaml = new StringBuilder("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n");
            for (String line : lines) yaml.append("   - ").append(line).append('\n');
            return onlyPool(yaml.toString()).servers();
        }

        @Test
        void withAndWithoutNames() throws Exception {
            assertThat(servers("127.0.0.1:11211:1", "10.0.0.2:11212:3 cache-b", "localhost:11213:1 c:1"))
                    .containsExactly(
                            new ServerConfig("127.0.0.1", 11211, 1, null),
                            new ServerConfig("10.0.0.2", 11212, 3, "cache-b"),
                            new ServerConfig("localhost", 11213, 1, "c:1"));
        }

        @Test
        void weightsAndHostsAreReadFromTheEnd() throws Exception {
            assertThat(servers("127.0.0.1:11211:2147483647", "::1:11212:1", "cache.example.com:11213:01"))
                    .containsExactly(
                            new ServerConfig("127.0.0.1", 11211, Integer.MAX_VALUE, null),
                            new ServerConfig("::1", 11212, 1, null),
                            new ServerConfig("cache.example.com", 11213, 1, null));
        }

        @Test
        void serverHostsAreNotResolvedWhileLoading() throws Exception {
            // nutcracker resolves a server when it connects to it, not when reading the file
            assertThat(servers("no-such-host.invalid:11211:1")).hasSize(1);
        }

        @Test
        void nutcrackerNamesLeaveOutTheDefaultMemcachedPort() throws Exception {
            List<ServerConfig> s = servers("127.0.0.1:11211:1", "127.0.0.1:11212:1", "127.0.0.1:11213:1 named");
            assertThat(s).extracting(ServerConfig::nutcrackerName).containsExactly("127.0.0.1", "127.0.0.1:11212", "named");
            assertThat(s).extracting(ServerConfig::ketamaName).containsExactly("127.0.0.1", "127.0.0.1:11212", "named");
            assertThat(s).extracting(ServerConfig::statsName).containsExactly("127.0.0.1", "127.0.0.1:11212", "named");
        }

        @Test
        void oneAddressUnderTwoNamesIsAllowedAsInNutcracker() throws Exception {
            assertThat(servers("127.0.0.1:11211:1 a", "127.0.0.1:11211:1 b")).hasSize(2);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "127.0.0.1:11211           | '127.0.0.1:11211' is not in the form host:port:weight [name]",
            "127.0.0.1                 | '127.0.0.1' is not in the form host:port:weight [name]",
            "127.0.0.1:11211:0         | '127.0.0.1:11211:0' has a zero weight (the least is 1)",
            "127.0.0.1:11211:-1        | '-1' is not a valid weight in '127.0.0.1:11211:-1' (expected 1 to 2147483647)",
            "127.0.0.1:11211:abc       | 'abc' is not a valid weight in '127.0.0.1:11211:abc' (expected 1 to 2147483647)",
            "127.0.0.1:11211:1.5       | '1.5' is not a valid weight in '127.0.0.1:11211:1.5' (expected 1 to 2147483647)",
            "127.0.0.1:0:1             | '0' is not a valid port in '127.0.0.1:0:1' (expected 1 to 65535)",
            "127.0.0.1:65536:1         | '65536' is not a valid port in '127.0.0.1:65536:1' (expected 1 to 65535)",
            ":11211:1                  | ':11211:1' has no host",
            "127.0.0.1:11211:1  twice  | '1 ' is not a valid weight in '127.0.0.1:11211:1  twice' (expected 1 to 2147483647)",
            "/tmp/mc.sock:1            | '/tmp/mc.sock:1' is a unix socket server; shardgate connects to servers over TCP only (unix socket servers are not supported yet)",
            "/tmp/mc.sock:1:1          | '/tmp/mc.sock:1:1' is not in the form host:port:weight [name]",
        })
        void badServerLines(String line, String problem) {
            ConfigException e = error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:11299:1\n   - "
                    + line + "\n");
            assertThat(e.getMessage()).isEqualTo("conf/test.yml:5: pool 'alpha': key 'servers': " + problem);
        }

        @Test
        void duplicateAddressesAreRefused() {
            // nutcracker leaves the weight out of a server's name, so a second weight does not make it different
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:11212:1\n"
                    + "   - 127.0.0.1:11212:2\n").getMessage())
                    .isEqualTo("conf/test.yml:5: pool 'alpha': key 'servers': '127.0.0.1:11212:2' has the same name "
                            + "'127.0.0.1:11212' as '127.0.0.1:11212:1' on line 4 (a server is named by its name field, "
                            + "else by host:port, or host alone for port 11211)");
        }

        @Test
        void duplicateNamesAreRefused() {
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:11211:1 a\n"
                    + "   - 127.0.0.1:11212:1 a\n").problem())
                    .startsWith("'127.0.0.1:11212:1 a' has the same name 'a' as '127.0.0.1:11211:1 a' on line 4");
        }

        @Test
        void aNameEqualToAnUnnamedServersHostClashesOnPort11211() {
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:11211:1\n"
                    + "   - 127.0.0.1:11212:1 127.0.0.1\n").problem())
                    .startsWith("'127.0.0.1:11212:1 127.0.0.1' has the same name '127.0.0.1' as '127.0.0.1:11211:1'");
        }

        @Test
        void emptyOrMissingServerLists() {
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n").getMessage())
                    .isEqualTo("conf/test.yml:3: pool 'alpha': key 'servers': has no servers; "
                            + "list them as '- host:port:weight [name]' lines");
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers: []\n").problem()).startsWith("has no servers");
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n").getMessage())
                    .isEqualTo("conf/test.yml:1: pool 'alpha': key 'servers': is missing; "
                            + "list the pool's servers as '- host:port:weight [name]' lines");
        }

        @Test
        void serversMustBeAListOfLines() {
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers: 127.0.0.1:11211:1\n").getMessage())
                    .isEqualTo("conf/test.yml:3: pool 'alpha': key 'servers': expected a list of "
                            + "'- host:port:weight [name]' lines, found a single value");
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - host: 127.0.0.1\n").getMessage())
                    .isEqualTo("conf/test.yml:4: pool 'alpha': key 'servers': expected a "
                            + "'host:port:weight [name]' line, found a mapping");
            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   -\n").problem())
                    .isEqualTo("expected a 'host:port:weight [name]' line, found an empty entry");
        }
    }

    @Nested
    class Keys {
        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "timeout: soon               | timeout            | 'soon' is not a number (expected a whole number from 0 to 2147483647)",
            "timeout: -1                 | timeout            | '-1' is not a number (expected a whole number from 0 to 2147483647)",
            "timeout: 4.5                | timeout            | '4.5' is not a number (expected a whole number from 0 to 2147483647)",
            "timeout: 0x10               | timeout            | '0x10' is not a number (expected a whole number from 0 to 2147483647)",
            "timeout: 2147483648         | timeout            | '2147483648' is too large (at most 2147483647)",
            "backlog: 99999999999        | backlog            | '99999999999' is too large (at most 2147483647)",
            "timeout:                    | timeout            | has no value",
            "redis: yes                  | redis              | 'yes' is not true or false (only these two lowercase words are accepted)",
            "preconnect: True            | preconnect         | 'True' is not true or false (only these two lowercase words are accepted)",
            "tcpkeepalive: 1             | tcpkeepalive       | '1' is not true or false (only these two lowercase words are accepted)",
            "server_connections: 0       | server_connections | cannot be 0 (the least is 1 connection per server)",
            "hash_tag: '{'               | hash_tag           | '{' is not a valid hash tag: it must be exactly two visible ASCII characters, the opening and the closing delimiter, such as \"{}\"",
            "hash_tag: '{}}'             | hash_tag           | '{}}' is not a valid hash tag: it must be exactly two visible ASCII characters, the opening and the closing delimiter, such as \"{}\"",
            "hash: MD5                   | hash               | 'MD5' is not a valid hash; valid hashes: one_at_a_time, md5, crc16, crc32, crc32a, fnv1_64, fnv1a_64, fnv1_32, fnv1a_32, hsieh, murmur, jenkins",
            "distribution: consistent    | distribution       | 'consistent' is not a valid distribution; valid distributions: ketama, modula, random",
            "redis_auth: pw              | redis_auth         | is only valid in a redis pool ('redis: true')",
            "reuseport: true             | reuseport          | is unknown (reuseport came after twemproxy 0.5.0; shardgate follows 0.5.0)",
        })
        void badValues(String line, String key, String problem) {
            ConfigException e = error(pool("  " + line + "\n"));
            assertThat(e.getMessage()).isEqualTo("conf/test.yml:3: pool 'alpha': key '" + key + "': " + problem);
        }

        @Test
        void unknownKeysAreNamedWithTheKnownOnes() {
            assertThat(error(pool("  time_out: 400\n")).getMessage()).isEqualTo("conf/test.yml:3: pool 'alpha': "
                    + "key 'time_out': is unknown; known keys: auto_eject_hosts, backlog, client_connections, "
                    + "distribution, hash, hash_tag, listen, preconnect, redis, redis_auth, redis_db, "
                    + "server_connections, server_failure_limit, server_retry_timeout, servers, tcpkeepalive, timeout; "
                    + "shardgate's own: allow_flush_all, eject_policy, flap_damping, partial_multiget, readmit_probe");
        }

        @Test
        void aValueFoldedOverSeveralLinesIsQuotedOnOneLine() {
            // A plain scalar broken by an empty line keeps a line break (found by ConfigLoaderFuzzTest).
            assertThat(error(pool("  timeout: soon\n\n   later\n")).getMessage())
                    .isEqualTo("conf/test.yml:3: pool 'alpha': key 'timeout': 'soon\\nlater' is not a number"
                            + " (expected a whole number from 0 to 2147483647)");
        }

        @Test
        void aKeyGivenTwiceIsRefused() {
            assertThat(error(pool("  timeout: 1\n  timeout: 2\n")).getMessage())
                    .isEqualTo("conf/test.yml:4: pool 'alpha': key 'timeout': is a duplicate (first given on line 3)");
        }

        @Test
        void listsAndMappingsWhereAValueBelongs() {
            assertThat(error(pool("  timeout:\n   - 1\n")).getMessage())
                    .isEqualTo("conf/test.yml:3: pool 'alpha': key 'timeout': expected a single value, found a list");
            assertThat(error(pool("  hash:\n    name: md5\n")).getMessage())
                    .isEqualTo("conf/test.yml:3: pool 'alpha': key 'hash': expected a single value, found a mapping");
        }

        @Test
        void listenIsRequired() {
            assertThat(error("alpha:\n  timeout: 5\n  servers:\n   - 127.0.0.1:11211:1\n").getMessage())
                    .isEqualTo("conf/test.yml:1: pool 'alpha': key 'listen': is missing; every pool needs a listen address");
        }

        @Test
        void redisAuthInARedisPool() throws Exception {
            assertThat(onlyPool(pool("  redis: true\n  redis_auth: pw\n")).redisAuth()).isEqualTo("pw");
            // the order of the keys does not matter
            assertThat(onlyPool("alpha:\n  redis_auth: pw\n  redis: true\n  listen: 127.0.0.1:22121\n  servers:\n"
                    + "   - 127.0.0.1:6379:1\n").redisAuth()).isEqualTo("pw");
        }
    }

    @Nested
    class FileShape {
        @Test
        void severalPoolsInFileOrder() throws Exception {
            StringBuilder yaml = new StringBuilder();
            List<String> names = List.of("zeta", "alpha", "mid", "1");
            for (int i = 0; i < names.size(); i++) {
                yaml.append(names.get(i)).append(":\n  listen: 127.0.0.1:").append(22121 + i)
                        .append("\n  servers:\n   - 127.0.0.1:").append(11211 + i).append(":1\n");
            }
            assertThat(parse(yaml.toString()).pools()).extracting(PoolConfig::name).containsExactlyElementsOf(names);
        }

        @Test
        void poolDefinedTwice() {
            assertThat(error(pool("") + pool("")).getMessage())
                    .isEqualTo("conf/test.yml:5: pool 'alpha' is defined twice (first on line 1)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "# nothing but a comment\n", "{}\n"})
        void noPools(String yaml) {
            assertThat(error(yaml).getMessage())
                    .isEqualTo("conf/test.yml: has no pools; a config maps each pool name to its settings");
        }

        @Test
        void topLevelMustBeAMapping() {
            assertThat(error("- alpha\n- beta\n").getMessage())
                    .isEqualTo("conf/test.yml:1: the top level must map pool names to their settings, found a list");
        }

        @Test
        void poolMustBeAMapping() {
            assertThat(error("alpha: 127.0.0.1:22121\n").getMessage())
                    .isEqualTo("conf/test.yml:1: pool 'alpha': must map keys to values, found a single value");
            assertThat(error("alpha:\n").getMessage())
                    .isEqualTo("conf/test.yml:1: pool 'alpha': has no settings; 'listen' and 'servers' are required");
            assertThat(error("\"\":\n  listen: 127.0.0.1:22121\n").getMessage())
                    .isEqualTo("conf/test.yml:1: a pool name cannot be empty");
        }

        @Test
        void yamlSyntaxErrorsCarryTheLine() {
            ConfigException e = error("alpha:\n  listen: 127.0.0.1:22121\n\tservers:\n");
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage()).startsWith("conf/test.yml:3: YAML syntax error: ").contains("TAB");

            ConfigException unterminated = error("alpha:\n  listen: \"127.0.0.1:22121\n  servers:\n   - x\n");
            assertThat(unterminated.getMessage()).startsWith("conf/test.yml:").contains("YAML syntax error: ")
                    .contains("quoted scalar");
            assertThat(unterminated.getMessage()).doesNotContain("\n");

            assertThat(error("alpha:\n  listen: 127.0.0.1:22121\n   servers:\n").getMessage())
                    .startsWith("conf/test.yml:3: YAML syntax error: ");
        }

        @Test
        void aliasesTagsAndSecondDocumentsAreRefused() {
            assertThat(error("alpha:\n  listen: &l 127.0.0.1:22121\n  timeout: *l\n").getMessage())
                    .isEqualTo("conf/test.yml:3: YAML aliases ('*l') are not supported, as in nutcracker");
            assertThat(error("alpha:\n  listen: !!str 127.0.0.1:22121\n").getMessage())
                    .isEqualTo("conf/test.yml:2: YAML tags ('tag:yaml.org,2002:str') are not supported, as in nutcracker");
            assertThat(error(pool("") + "---\n" + pool("").replace("alpha", "beta")).getMessage())
                    .isEqualTo("conf/test.yml:6: the file holds more than one YAML document; a config is a single document");
        }

        @Test
        void commentsAndCrlfLineEndingsAreFine() throws Exception {
            String yaml = "# shardgate\r\nalpha:   # the pool\r\n  listen: 127.0.0.1:22121\r\n  servers:\r\n"
                    + "   - 127.0.0.1:11211:1   # first\r\n";
            assertThat(onlyPool(yaml).servers()).hasSize(1);
        }
    }

    @Nested
    class Files_ {
        @Test
        void loadReadsAFile(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("nutcracker.yml");
            Files.writeString(file, pool(""));
            ProxyConfig config = ConfigLoader.load(file);
            assertThat(config.source()).isEqualTo(file);
            assertThat(config.pools()).hasSize(1);
        }

        @Test
        void theBundledExampleLoads() throws Exception {
            ProxyConfig config = ConfigLoader.load(Path.of("../conf/shardgate.yml"));
            assertThat(config.pools()).extracting(PoolConfig::name).containsExactly("alpha");
            PoolConfig alpha = config.pools().get(0);
            assertThat(alpha.listen()).isEqualTo(ListenAddress.tcp("127.0.0.1", 22121));
            assertThat(alpha.timeoutMs()).isEqualTo(400);
            assertThat(alpha.servers()).containsExactly(new ServerConfig("127.0.0.1", 11211, 1, null),
                    new ServerConfig("127.0.0.1", 11212, 1, null), new ServerConfig("127.0.0.1", 11213, 1, null));
            ConfigLoader.checkSupported(config);
        }

        @Test
        void missingFile(@TempDir Path dir) {
            Path file = dir.resolve("absent.yml");
            assertThatThrownBy(() -> ConfigLoader.load(file)).isInstanceOf(ConfigException.class)
                    .hasMessage(file + ": cannot open the config file: no such file");
        }
    }

    @Nested
    class SupportAndWarnings {
        @Test
        void redisPoolsAreSupported() throws Exception {
            ConfigLoader.checkSupported(parse(pool("  redis: true\n  redis_auth: pw\n  redis_db: 3\n")));
            assertThat(ConfigLoader.warnings(parse(pool("  redis: true\n  redis_auth: pw\n  redis_db: 3\n"))))
                    .isEmpty();
        }

        @Test
        void memcachedPoolsAreSupported() throws Exception {
            ConfigLoader.checkSupported(parse(pool("")));
        }

        @Test
        void defaultsWarnOfNothing() throws Exception {
            assertThat(ConfigLoader.warnings(parse(pool("")))).isEmpty();
        }

        @Test
        void everyNutcrackerKeyIsEnforcedSoNoneIsWarnedAbout() throws Exception {
            ProxyConfig config = parse(pool("""
                      timeout: 400
                      auto_eject_hosts: true
                      server_failure_limit: 3
                      server_retry_timeout: 2000
                      preconnect: true
                      tcpkeepalive: true
                      client_connections: 10
                    """));
            assertThat(NotYetEnforced.keys()).isEmpty();
            assertThat(ConfigLoader.warnings(config)).isEmpty();
        }
    }
}
