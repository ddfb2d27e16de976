package io.shardgate.cli;

import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.ConfigWarning;
import io.shardgate.config.ProxyConfig;
import io.shardgate.config.ServerSettings;
import io.shardgate.server.ShardGateServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * shardgate's command line: nutcracker's flags with nutcracker's meaning (see docs/CONFIG.md for the table).
 *
 * <p>{@code -h}, {@code -V} and {@code -D} print and exit; {@code -t} loads the config file and says whether it
 * is valid; otherwise the proxy runs: load the config, check it, log the keys not enforced yet, start the core,
 * write the pid file, and serve until SIGTERM or SIGINT. {@code -d} first re-launches all of this as a detached
 * child (see {@link Daemon}).
 */
@Command(name = "shardgate",
        customSynopsis = {
            "shardgate [-hVtdD] [-v verbosity level] [-o output file]",
            "                 [-c conf file] [-s stats port] [-a stats addr]",
            "                 [-i stats interval] [-p pid file] [-m mbuf size] [--threads N]",
            "                 [--admin-port N] [--admin-addr S]",
        },
        optionListHeading = "%nOptions:%n",
        sortOptions = false,
        usageHelpWidth = 100)
public final class Main implements Callable<Integer> {
    static final String DEFAULT_CONF = "conf/nutcracker.yml";
    static final String DEFAULT_STATS_ADDR = "0.0.0.0";
    /** The admin listener (status page, metrics) shows the whole topology: loopback only unless asked. */
    static final String DEFAULT_ADMIN_ADDR = "127.0.0.1";
    static final int MBUF_MIN = 512;
    static final int MBUF_MAX = 16_777_216;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, description = "this help")
    boolean help;

    @Option(names = {"-V", "--version"}, description = "show version and exit")
    boolean version;

    @Option(names = {"-t", "--test-conf"}, description = "test configuration for syntax errors and exit")
    boolean testConf;

    @Option(names = {"-d", "--daemonize"}, description = "run as a daemon")
    boolean daemonize;

    @Option(names = {"-D", "--describe-stats"}, description = "print stats description and exit")
    boolean describeStats;

    @Option(names = {"-v", "--verbose"}, paramLabel = "N",
            description = "set logging level (default: 5, min: 0, max: 11)")
    String verbose;

    @Option(names = {"-o", "--output"}, paramLabel = "S", description = "set logging file (default: stderr)")
    String output;

    @Option(names = {"-c", "--conf-file"}, paramLabel = "S",
            description = "set configuration file (default: " + DEFAULT_CONF + ")")
    String confFile = DEFAULT_CONF;

    @Option(names = {"-s", "--stats-port"}, paramLabel = "N",
            description = "set stats monitoring port (default: 22222)")
    String statsPort;

    @Option(names = {"-a", "--stats-addr"}, paramLabel = "S",
            description = "set stats monitoring ip (default: " + DEFAULT_STATS_ADDR + ")")
    String statsAddr;

    @Option(names = {"-i", "--stats-interval"}, paramLabel = "N",
            description = "set stats aggregation interval in msec (default: 30000 msec)")
    String statsInterval;

    @Option(names = {"-p", "--pid-file"}, paramLabel = "S", description = "set pid file (default: off)")
    String pidFile;

    @Option(names = {"-m", "--mbuf-size"}, paramLabel = "N",
            description = "set size of mbuf chunk in bytes (default: 16384 bytes)")
    String mbufSize;

    @Option(names = "--threads", paramLabel = "N",
            description = "set number of worker threads (default: number of cores)")
    String threads;

    @Option(names = "--admin-port", paramLabel = "N",
            description = "set HTTP port for the status page, Prometheus /metrics and /health (default: off)")
    String adminPort;

    @Option(names = "--admin-addr", paramLabel = "S",
            description = "set HTTP admin ip (default: " + DEFAULT_ADMIN_ADDR + ")")
    String adminAddr;

    private List<String> originalArgs = List.of();

    public static void main(String[] args) {
        nettyDefaults();
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Netty settings read once when its classes load, so set before any is used (a -D on the command line wins).
     * The recycler's per-thread batch (default 32) overflows into a queue that allocates a new array chunk every
     * 32 objects when one event-loop pass releases more than that, which a pipelined load does every pass: 1024
     * keeps those objects (buffer slices, write entries) recycled without allocating.
     */
    static void nettyDefaults() {
        if (System.getProperty("io.netty.recycler.chunkSize") == null) {
            System.setProperty("io.netty.recycler.chunkSize", "1024");
        }
    }

    /** Runs the command line with {@code out} and {@code err} in place of stdout and stderr; returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        Main main = new Main();
        main.originalArgs = List.of(args);
        CommandLine cl = new CommandLine(main)
                .setOut(out)
                .setErr(err)
                .setAbbreviatedOptionsAllowed(true) // getopt_long takes unambiguous prefixes: --conf for --conf-file
                .setParameterExceptionHandler((ParameterException e, String[] a) -> {
                    PrintWriter w = e.getCommandLine().getErr();
                    w.println("shardgate: " + e.getMessage());
                    e.getCommandLine().usage(w);
                    return 1;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("shardgate: " + e);
                    return 1;
                });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    /** The version from the jar's manifest, or "dev" when running from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Settings s;
        try {
            s = settings();
        } catch (ParameterException e) {
            err.println("shardgate: " + e.getMessage());
            spec.commandLine().usage(err);
            return 1;
        }
        if (help || version || describeStats) {
            out.println("This is shardgate-" + version());
            out.println();
            if (help) spec.commandLine().usage(out);
            if (describeStats) out.print(io.shardgate.stats.Stat.describe());
            return 0;
        }
        if (testConf) return testConf(err);
        if (daemonize && !Daemon.isChild()) {
            return Daemon.launch(originalArgs, s.logFile, err);
        }
        return new Runner(s, err).run();
    }

    private int testConf(PrintWriter err) {
        try {
            ProxyConfig config = ConfigLoader.load(Path.of(confFile));
            ConfigLoader.checkSupported(config);
            for (ConfigWarning w : ConfigLoader.warnings(config)) {
                err.println("shardgate: warning: " + w.message());
            }
        } catch (ConfigException e) {
            err.println("shardgate: " + e.getMessage());
            err.println("shardgate: configuration file '" + confFile + "' syntax is invalid");
            return 1;
        }
        err.println("shardgate: configuration file '" + confFile + "' syntax is ok");
        return 0;
    }

    /** The flags, validated the way nutcracker validates them. */
    record Settings(int verbosity, Path logFile, Path confFile, Path pidFile, ServerSettings server) {}

    Settings settings() {
        int v = verbose == null ? LogSetup.DEFAULT_LEVEL : number("v", verbose);
        // nutcracker clamps the level to 0..11 rather than refusing it
        v = Math.min(v, LogSetup.MAX_LEVEL);
        int port = ServerSettings.DEFAULT_STATS_PORT;
        if (statsPort != null) {
            port = number("s", statsPort);
            if (port < 1 || port > 65535) fail("option -s value " + port + " is not a valid port");
        }
        long interval = ServerSettings.DEFAULT_STATS_INTERVAL_MS;
        if (statsInterval != null) {
            interval = number("i", statsInterval);
            if (interval == 0) fail("option -i value must be at least 1 msec");
        }
        int mbuf = ServerSettings.DEFAULT_MBUF_SIZE;
        if (mbufSize != null) {
            mbuf = numberOrFail(mbufSize, "option -m requires a non-zero number");
            if (mbuf == 0) fail("option -m requires a non-zero number");
            if (mbuf < MBUF_MIN || mbuf > MBUF_MAX) {
                fail("mbuf chunk size must be between " + MBUF_MIN + " and " + MBUF_MAX + " bytes");
            }
        }
        int workers = Runtime.getRuntime().availableProcessors();
        if (threads != null) {
            workers = numberOrFail(threads, "option --threads requires a positive number");
            if (workers == 0) fail("option --threads requires a positive number");
        }
        InetAddress statsAddress = address("-a", statsAddr != null ? statsAddr : DEFAULT_STATS_ADDR);
        int admin = ServerSettings.ADMIN_OFF;
        if (adminPort != null) {
            admin = numberOrFail(adminPort, "option --admin-port requires a number");
            if (admin < 1 || admin > 65535) fail("option --admin-port value " + admin + " is not a valid port");
        }
        InetAddress adminAddress = address("--admin-addr", adminAddr != null ? adminAddr : DEFAULT_ADMIN_ADDR);
        if (output != null && output.isEmpty()) fail("option -o requires a file name");
        if (pidFile != null && pidFile.isEmpty()) fail("option -p requires a file name");
        if (confFile.isEmpty()) fail("option -c requires a file name");
        ServerSettings server = new ServerSettings(workers, port, statsAddress, interval, mbuf,
                ServerSettings.DEFAULT_MAX_VALUE_BYTES, admin, adminAddress);
        return new Settings(v, output == null ? null : Path.of(output), Path.of(confFile),
                pidFile == null ? null : Path.of(pidFile), server);
    }

    private InetAddress address(String option, String addr) {
        try {
            if (addr.isEmpty()) throw new UnknownHostException(addr);
            return InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new ParameterException(spec.commandLine(), "option " + option + " value '" + addr
                    + "' is not a valid address");
        }
    }

    private int number(String option, String text) {
        return numberOrFail(text, "option -" + option + " requires a number");
    }

    /** A non-negative decimal number, as nutcracker's nc_atoi reads one. */
    private int numberOrFail(String text, String message) {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9') || text.length() > 10
                || Long.parseLong(text) > Integer.MAX_VALUE) {
            fail(message);
        }
        return Integer.parseInt(text);
    }

    private void fail(String message) {
        throw new ParameterException(spec.commandLine(), message);
    }

    /** The run path: everything after the flags, in the process that serves. */
    static final class Runner {
        private final Settings s;
        private final PrintWriter err;
        private Logger log;

        Runner(Settings s, PrintWriter err) {
            this.s = s;
            this.err = err;
        }

        int run() {
            try {
                LogSetup.configure(s.verbosity(), s.logFile());
            } catch (IOException e) {
                return failed("opening log file '" + s.logFile() + "' failed: " + e.getMessage());
            }
            log = LoggerFactory.getLogger(Main.class);
            LogSignals.install();

            ProxyConfig config;
            try {
                config = ConfigLoader.load(s.confFile());
                ConfigLoader.checkSupported(config);
            } catch (ConfigException e) {
                return failed(e.getMessage());
            }
            for (ConfigWarning w : ConfigLoader.warnings(config)) log.warn(w.message());
            ServerSettings settings = s.server();

            ShardGateServer server;
            try {
                server = ShardGateServer.start(config, settings);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed("interrupted while starting");
            } catch (RuntimeException e) {
                return failed("cannot start: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            }

            Path pid = s.pidFile();
            if (pid != null) {
                try {
                    Files.writeString(pid, Long.toString(ProcessHandle.current().pid()));
                } catch (IOException e) {
                    server.close();
                    return failed("opening pid file '" + pid + "' failed: " + e.getMessage());
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server, pid), "shutdown"));
            log.info("shardgate-{} started on pid {} with {} workers, config '{}' ({} pools)", version(),
                    ProcessHandle.current().pid(), settings.workers(), s.confFile(), config.pools().size());
            Daemon.reportReady();
            try {
                server.awaitClose();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        private void shutdown(ShardGateServer server, Path pid) {
            log.info("shutting down");
            try {
                server.close();
            } finally {
                if (pid != null) {
                    try {
                        Files.deleteIfExists(pid);
                    } catch (IOException e) {
                        log.warn("removing pid file '{}' failed, ignored: {}", pid, e.getMessage());
                    }
                }
                log.info("done");
            }
        }

        /** Logs a start failure, shows it on stderr when the log goes elsewhere, and reports it to a waiting parent. */
        private int failed(String message) {
            if (log != null) log.error(message);
            // a daemon's stderr is the log file already; a foreground run with -o needs the reason on stderr too
            if (log == null || s.logFile() != null && !Daemon.isChild()) err.println("shardgate: " + message);
            Daemon.reportFailed(message);
            return 1;
        }
    }
}
