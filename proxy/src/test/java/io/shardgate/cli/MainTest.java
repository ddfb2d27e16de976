package io.shardgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line in-process, for the paths that do not start the proxy. */
class MainTest {
    private static final String GOOD = "alpha:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:11211:1\n";

    record Result(int status, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void versionLikeNutcracker() {
        Result r = run("-V");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("This is shardgate-" + Main.version() + System.lineSeparator());
        assertThat(r.err()).isEmpty();
        assertThat(run("--version").out()).isEqualTo(r.out());
        // running from classes there is no manifest
        assertThat(Main.version()).isEqualTo("dev");
    }

    @Test
    void helpShowsVersionThenEveryFlag() {
        Result r = run("-h");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("This is shardgate-").contains("Usage: shardgate [-hVtdD]");
        for (String flag : new String[] {"-h, --help", "-V, --version", "-t, --test-conf", "-d, --daemonize",
                "-D, --describe-stats", "-v, --verbose=N", "-o, --output=S", "-c, --conf-file=S",
                "-s, --stats-port=N", "-a, --stats-addr=S", "-i, --stats-interval=N", "-p, --pid-file=S",
                "-m, --mbuf-size=N", "--threads=N", "--admin-port=N", "--admin-addr=S"}) {
            assertThat(r.out()).contains(flag);
        }
        assertThat(r.out()).contains("default: conf/nutcracker.yml");
        assertThat(run("--help").out()).isEqualTo(r.out());
    }

    @Test
    void describeStatsLikeNutcracker() {
        Result r = run("-D");
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEmpty();
        String nl = System.lineSeparator();
        assertThat(r.out()).startsWith("This is shardgate-" + Main.version() + nl + nl + "pool stats:\n"
                + "  client_eof          \"# eof on client connections\"\n");
        assertThat(r.out()).contains("\nserver stats:\n  server_eof          \"# eof on server connections\"\n",
                "  out_queue_bytes     \"current request bytes in outgoing queue\"\n");
        assertThat(run("--describe-stats").out()).isEqualTo(r.out());
    }

    @Test
    void adminListenerFlags() {
        Main main = new Main();
        new picocli.CommandLine(main).parseArgs("--admin-port", "9100");
        var server = main.settings().server();
        assertThat(server.adminPort()).isEqualTo(9100);
        assertThat(server.statsAddress().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(server.adminAddress().getHostAddress()).as("loopback unless configured").isEqualTo("127.0.0.1");
        Main exposed = new Main();
        new picocli.CommandLine(exposed).parseArgs("--admin-port", "9100", "--admin-addr", "0.0.0.0");
        assertThat(exposed.settings().server().adminAddress().getHostAddress()).isEqualTo("0.0.0.0");
        Main off = new Main();
        new picocli.CommandLine(off).parseArgs();
        assertThat(off.settings().server().adminEnabled()).isFalse();
        assertThat(off.settings().server().statsPort()).isEqualTo(22222);
        assertThat(run("--admin-port", "0").err()).contains("option --admin-port value 0 is not a valid port");
        assertThat(run("--admin-port", "x").err()).contains("option --admin-port requires a number");
        assertThat(run("--admin-addr", "no.such.host.invalid").err()).contains("option --admin-addr value");
    }

    @Test
    void testConfGood(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("good.yml"), GOOD);
        Result r = run("-t", "-c", file.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err()).isEqualTo("shardgate: configuration file '" + file + "' syntax is ok" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
        // long forms, clustered short flags and getopt-style abbreviations
        assertThat(run("--test-conf", "--conf-file=" + file).status()).isZero();
        assertThat(run("-tc", file.toString()).status()).isZero();
        assertThat(run("--test", "--conf", file.toString()).status()).isZero();
    }

    @Test
    void testConfBadNamesTheProblem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yml"), GOOD.replace("  servers", "  timeout: soon\n  servers"));
        Result r = run("-t", "-c", file.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err().lines()).containsExactly(
                "shardgate: " + file + ":3: pool 'alpha': key 'timeout': 'soon' is not a number (expected a whole "
                        + "number from 0 to 2147483647)",
                "shardgate: configuration file '" + file + "' syntax is invalid");
    }

    @Test
    void testConfAcceptsRedisPoolsAndEnforcedKeysSilently(@TempDir Path dir) throws Exception {
        Path redis = Files.writeString(dir.resolve("redis.yml"), GOOD.replace("  servers", "  redis: true\n  servers"));
        Result r = run("-t", "-c", redis.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err().lines()).containsExactly("shardgate: configuration file '" + redis + "' syntax is ok");

        Path timeout = Files.writeString(dir.resolve("t.yml"), GOOD.replace("  servers", "  timeout: 400\n  servers"));
        r = run("-t", "-c", timeout.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err().lines()).containsExactly("shardgate: configuration file '" + timeout + "' syntax is ok");
    }

    @Test
    void testConfWithoutAFile(@TempDir Path dir) {
        Result r = run("-t", "-c", dir.resolve("absent.yml").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("cannot open the config file: no such file");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-s,abc             | option -s requires a number",
        "-s,70000           | option -s value 70000 is not a valid port",
        "-s,0               | option -s value 0 is not a valid port",
        "-i,-5              | option -i requires a number",
        "-i,0               | option -i value must be at least 1 msec",
        "-m,0               | option -m requires a non-zero number",
        "-m,511             | mbuf chunk size must be between 512 and 16777216 bytes",
        "-m,16777217        | mbuf chunk size must be between 512 and 16777216 bytes",
        "-v,loud            | option -v requires a number",
        "-v,99999999999     | option -v requires a number",
        "--threads,0        | option --threads requires a positive number",
        "-a,no-such-host.invalid | option -a value 'no-such-host.invalid' is not a valid address",
        "-x                 | Unknown option: '-x'",
        "-c                 | Missing required parameter for option '--conf-file' (S)",
    })
    void badFlagValues(String args, String message) {
        Result r = run(args.split(","));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("shardgate: " + message + System.lineSeparator()).contains("Usage: shardgate");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void goodFlagValuesPassValidation(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("good.yml"), GOOD);
        Result r = run("-t", "-c", file.toString(), "-s", "65535", "-a", "127.0.0.1", "-i", "1", "-m", "512",
                "-v", "11", "--threads", "3", "-p", dir.resolve("pid").toString(), "-o", dir.resolve("log").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(run("-t", "-c", file.toString(), "-m", "16777216", "-v", "20").status()).isZero();
    }

    @Test
    void nutcrackerLevelsMapOntoLogback() {
        assertThat(LogSetup.level(0)).isEqualTo(Level.ERROR);
        assertThat(LogSetup.level(3)).isEqualTo(Level.ERROR);
        assertThat(LogSetup.level(4)).isEqualTo(Level.WARN);
        assertThat(LogSetup.level(5)).isEqualTo(Level.INFO);
        assertThat(LogSetup.level(6)).isEqualTo(Level.INFO);
        assertThat(LogSetup.level(7)).isEqualTo(Level.DEBUG);
        assertThat(LogSetup.level(8)).isEqualTo(Level.TRACE);
        assertThat(LogSetup.level(11)).isEqualTo(Level.TRACE);
        assertThat(LogSetup.level(40)).isEqualTo(Level.TRACE);
    }
}
