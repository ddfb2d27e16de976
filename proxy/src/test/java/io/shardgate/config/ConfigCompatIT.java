package io.shardgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.testsupport.ExternalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Config acceptance side by side with the real nutcracker: every config in the table goes through
 * {@code nutcracker -t -c file} and through {@link ConfigLoader}; both must accept it or both must refuse it,
 * except where a row says shardgate deliberately differs (and why).
 */
class ConfigCompatIT {
    private static final String LISTEN = "  listen: 127.0.0.1:22121\n";
    private static final String SERVERS = "  servers:\n   - 127.0.0.1:11211:1\n";

    /** How the two programs are expected to agree. */
    enum Expect {
        /** both accept */
        BOTH_ACCEPT,
        /** both refuse */
        BOTH_REFUSE,
        /** deliberate difference: nutcracker accepts, shardgate refuses (the reason is in the row's name) */
        ONLY_NUTCRACKER_ACCEPTS,
        /** deliberate difference: shardgate accepts, nutcracker refuses (the reason is in the row's name) */
        ONLY_SHARDGATE_ACCEPTS
    }

    private static Arguments row(String name, Expect expect, String yaml) {
        return Arguments.of(name, expect, yaml);
    }

    private static String pool(String key) {
        return "alpha:\n" + LISTEN + "  " + key + "\n" + SERVERS;
    }

    private static String servers(String... lines) {
        StringBuilder sb = new StringBuilder("alpha:\n" + LISTEN + "  servers:\n");
        for (String l : lines) sb.append("   - ").append(l).append('\n');
        return sb.toString();
    }

    private static String listen(String value) {
        return "alpha:\n  listen: " + value + "\n" + SERVERS;
    }

    static Stream<Arguments> configs() {
        List<Arguments> rows = new ArrayList<>();
        // nutcracker's own example, written out (conf/nutcracker.yml of twemproxy 0.5.0)
        rows.add(row("nutcracker example", Expect.BOTH_ACCEPT, """
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
                omega:
                  listen: /tmp/gamma
                  hash: hsieh
                  distribution: ketama
                  auto_eject_hosts: false
                  servers:
                   - 127.0.0.1:11214:100000
                   - 127.0.0.1:11215:1
                """));
        rows.add(row("minimal pool", Expect.BOTH_ACCEPT, "alpha:\n" + LISTEN + SERVERS));
        rows.add(row("every key", Expect.BOTH_ACCEPT, """
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
                """));
        rows.add(row("servers before listen", Expect.BOTH_ACCEPT,
                "alpha:\n" + SERVERS + LISTEN));
        rows.add(row("comments and quoted keys", Expect.BOTH_ACCEPT,
                "# top\n\"alpha\":  # pool\n  \"listen\": 127.0.0.1:22121\n" + SERVERS));

        // values
        for (String ok : new String[] {"timeout: 0", "timeout: 0400", "timeout: \"400\"", "timeout: 2147483647",
                "backlog: 0", "server_failure_limit: 0", "server_retry_timeout: 0", "redis: \"true\"",
                "hash_tag: ab", "hash: md5", "hash: jenkins", "distribution: random", "redis_db: 15"}) {
            rows.add(row(ok, Expect.BOTH_ACCEPT, pool(ok)));
        }
        for (String bad : new String[] {"timeout: -1", "timeout: 0x10", "timeout: 4.5", "timeout: 1e3",
                "timeout: +5", "timeout: 2147483648", "timeout:", "timeout: ~", "timeout: ''", "redis: yes",
                "redis: True", "preconnect: 1", "server_connections: 0", "hash_tag: '{'", "hash_tag: '{}}'",
                "hash_tag: ''", "hash: MD5", "hash: sha1", "distribution: Ketama", "redis_auth: pw",
                "foo: 1", "reuseport: true", "listen: 127.0.0.1:22122"}) {
            rows.add(row(bad, Expect.BOTH_REFUSE, pool(bad)));
        }
        // nutcracker's nc_atoi overflows silently into a positive number; shardgate refuses the value
        rows.add(row("timeout overflowing int (deliberate)", Expect.ONLY_NUTCRACKER_ACCEPTS,
                pool("timeout: 99999999999")));

        // nutcracker counts bytes: a one-character, two-byte UTF-8 tag passes as its "two characters"
        rows.add(row("non-ASCII hash tag (deliberate)", Expect.ONLY_NUTCRACKER_ACCEPTS, pool("hash_tag: \"\u00e9\"")));

        // listen
        for (String ok : new String[] {"localhost:22121", "0.0.0.0:22121", "::1:22121", "127.0.0.1:65535",
                "/tmp/shardgate-compat.sock", "/tmp/shardgate-compat.sock 0666", "/tmp/shardgate-compat.sock 0"}) {
            rows.add(row("listen " + ok, Expect.BOTH_ACCEPT, listen(ok)));
        }
        for (String bad : new String[] {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":22121",
                "\"[::1]:22121\"", "no-such-host.invalid:22121", "tmp/x.sock", "/tmp/x.sock 1777"}) {
            rows.add(row("listen " + bad, Expect.BOTH_REFUSE, listen(bad)));
        }
        // nutcracker's strtol stops at the first non-octal digit and takes 0 (no mode); shardgate refuses it
        rows.add(row("listen mode with a non-octal digit (deliberate)", Expect.ONLY_NUTCRACKER_ACCEPTS,
                listen("/tmp/x.sock 0999")));

        // servers
        for (String ok : new String[] {"127.0.0.1:11211:1 name", "localhost:11211:1", "::1:11211:1",
                "no-such-host.invalid:11211:1", "127.0.0.1:11211:2147483647", "127.0.0.1:11211:1 a:b",
                "a:b:c:1:1"}) {
            rows.add(row("server " + ok, Expect.BOTH_ACCEPT, servers(ok)));
        }
        for (String bad : new String[] {"127.0.0.1:11211", "127.0.0.1:11211:0", "127.0.0.1:11211:-1",
                "127.0.0.1:0:1", "127.0.0.1:65536:1", "127.0.0.1:11211:abc", "127.0.0.1:11211:1 name with space",
                "127.0.0.1:11211:1  a", "/tmp/mc.sock", "/tmp/mc.sock:1:1", "/tmp/mc.sock:0"}) {
            rows.add(row("server " + bad, Expect.BOTH_REFUSE, servers(bad)));
        }
        rows.add(row("empty host in a server line (deliberate: nothing to connect to)",
                Expect.ONLY_NUTCRACKER_ACCEPTS, servers(":11211:1")));
        rows.add(row("unix socket server (deliberate: shardgate connects over TCP only, for now)",
                Expect.ONLY_NUTCRACKER_ACCEPTS, servers("/tmp/mc.sock:1")));
        rows.add(row("duplicate address, other weight", Expect.BOTH_REFUSE,
                servers("127.0.0.1:11212:1", "127.0.0.1:11212:2")));
        rows.add(row("name equal to an 11211 server's host", Expect.BOTH_REFUSE,
                servers("127.0.0.1:11211:1", "127.0.0.1:11212:1 127.0.0.1")));
        rows.add(row("duplicate names", Expect.BOTH_REFUSE, servers("127.0.0.1:11211:1 a", "127.0.0.1:11212:1 a")));
        rows.add(row("one address, two names", Expect.BOTH_ACCEPT,
                servers("127.0.0.1:11211:1 a", "127.0.0.1:11211:1 b")));
        rows.add(row("no servers", Expect.BOTH_REFUSE, "alpha:\n" + LISTEN + "  servers:\n"));
        rows.add(row("no servers key", Expect.BOTH_REFUSE, "alpha:\n" + LISTEN));
        rows.add(row("servers as a scalar", Expect.BOTH_REFUSE, "alpha:\n" + LISTEN + "  servers: 127.0.0.1:11211:1\n"));
        rows.add(row("server as a mapping", Expect.BOTH_REFUSE, "alpha:\n" + LISTEN + "  servers:\n   - host: x\n"));

        // pools and file shape
        rows.add(row("no listen", Expect.BOTH_REFUSE, "alpha:\n" + SERVERS));
        rows.add(row("same listen twice", Expect.BOTH_REFUSE,
                "alpha:\n" + LISTEN + SERVERS + "beta:\n" + LISTEN + SERVERS));
        // nutcracker compares the listen text and fails only at bind; shardgate compares resolved addresses
        rows.add(row("same listen address written two ways (deliberate)", Expect.ONLY_NUTCRACKER_ACCEPTS,
                "alpha:\n" + LISTEN + SERVERS + "beta:\n  listen: 127.000.0.1:22121\n" + SERVERS));
        rows.add(row("same pool twice", Expect.BOTH_REFUSE,
                "alpha:\n" + LISTEN + SERVERS + "alpha:\n  listen: 127.0.0.1:22122\n" + SERVERS));
        rows.add(row("empty file", Expect.BOTH_REFUSE, ""));
        rows.add(row("only a comment", Expect.BOTH_REFUSE, "# nothing\n"));
        rows.add(row("top-level list", Expect.BOTH_REFUSE, "- a\n- b\n"));
        rows.add(row("top-level scalar", Expect.BOTH_REFUSE, "hello\n"));
        rows.add(row("pool as a scalar", Expect.BOTH_REFUSE, "alpha: foo\n"));
        rows.add(row("empty pool", Expect.BOTH_REFUSE, "alpha:\n"));
        rows.add(row("empty pool name", Expect.BOTH_REFUSE, "\"\":\n" + LISTEN + SERVERS));
        rows.add(row("nested mapping", Expect.BOTH_REFUSE, "alpha:\n" + LISTEN + "  extra:\n    a: b\n" + SERVERS));
        rows.add(row("listen as a list", Expect.BOTH_REFUSE, "alpha:\n  listen:\n   - 127.0.0.1:22121\n" + SERVERS));
        rows.add(row("duplicate key", Expect.BOTH_REFUSE, pool("timeout: 1\n  timeout: 2")));
        rows.add(row("tab indentation", Expect.BOTH_REFUSE, "alpha:\n\tlisten: 127.0.0.1:22121\n"));
        rows.add(row("bad indentation", Expect.BOTH_REFUSE, "alpha:\n" + LISTEN + "   servers:\n   - 127.0.0.1:11211:1\n"));
        rows.add(row("unterminated quote", Expect.BOTH_REFUSE,
                "alpha:\n  listen: \"127.0.0.1:22121\n" + SERVERS));
        rows.add(row("alias", Expect.BOTH_REFUSE, "alpha:\n  listen: &l 127.0.0.1:22121\n  timeout: *l\n" + SERVERS));
        rows.add(row("tag", Expect.BOTH_REFUSE, "alpha:\n  listen: !!str 127.0.0.1:22121\n" + SERVERS));
        rows.add(row("two documents", Expect.BOTH_REFUSE,
                "alpha:\n" + LISTEN + SERVERS + "---\nbeta:\n  listen: 127.0.0.1:22122\n" + SERVERS));
        rows.add(row("CRLF line ends", Expect.BOTH_ACCEPT, ("alpha:\n" + LISTEN + SERVERS).replace("\n", "\r\n")));
        // libyaml-based nutcracker refuses every '---', '...' and flow collection ([a, b], {k: v}); Jackson does
        // not report which syntax a node came from, and these change nothing about the config's meaning
        rows.add(row("document start marker (deliberate)", Expect.ONLY_SHARDGATE_ACCEPTS,
                "---\nalpha:\n" + LISTEN + SERVERS));
        rows.add(row("flow sequence of servers (deliberate)", Expect.ONLY_SHARDGATE_ACCEPTS,
                "alpha:\n" + LISTEN + "  servers: [127.0.0.1:11211:1]\n"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void nutcrackerAndShardgateAgree(String name, Expect expect, String yaml, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("compat.yml");
        Files.writeString(file, yaml);

        boolean nutcracker = nutcrackerAccepts(file);
        String ours = shardgateVerdict(file);
        boolean shardgate = ours == null;

        String detail = "config:\n" + yaml + "\nshardgate: " + (shardgate ? "accepts" : ours);
        switch (expect) {
            case BOTH_ACCEPT -> {
                assertThat(nutcracker).as("nutcracker accepts, " + detail).isTrue();
                assertThat(shardgate).as("shardgate accepts, " + detail).isTrue();
            }
            case BOTH_REFUSE -> {
                assertThat(nutcracker).as("nutcracker refuses, " + detail).isFalse();
                assertThat(shardgate).as("shardgate refuses, " + detail).isFalse();
            }
            case ONLY_NUTCRACKER_ACCEPTS -> {
                assertThat(nutcracker).as("nutcracker accepts, " + detail).isTrue();
                assertThat(shardgate).as("shardgate refuses, " + detail).isFalse();
            }
            case ONLY_SHARDGATE_ACCEPTS -> {
                assertThat(nutcracker).as("nutcracker refuses, " + detail).isFalse();
                assertThat(shardgate).as("shardgate accepts, " + detail).isTrue();
            }
        }
    }

    /** The loader's verdict: null when it accepts, else its message, which must name the file. */
    private static String shardgateVerdict(Path file) {
        try {
            ConfigLoader.load(file);
            return null;
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
            return e.getMessage();
        }
    }

    private static boolean nutcrackerAccepts(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ExternalServer.requireProgram("nutcracker"), "-t", "-c", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        boolean ok = p.exitValue() == 0;
        assertThat(output).contains(ok ? "syntax is ok" : "syntax is invalid");
        return ok;
    }
}
