package io.shardgate.bench.chaos;

import io.netty.util.ResourceLeakDetector;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The chaos run's command line (scripts/chaos.sh runs it). Exit code 0 when every verdict passed, 1 otherwise. */
@Command(name = "shardgate-chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Faults on real backends behind shardgate under a verified load; judged per fault.")
public final class ChaosMain implements Callable<Integer> {
    @Option(names = "--protocol", defaultValue = "memcache", description = "memcache or redis (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--proxy-threads", defaultValue = "2", description = "shardgate's --threads (default ${DEFAULT-VALUE}).")
    int proxyThreads;

    @Option(names = "--client-threads", defaultValue = "2", description = "Load event loops (default ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = {"-c", "--connections"}, defaultValue = "8", description = "Load connections (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-p", "--pipeline"}, defaultValue = "4", description = "Requests in flight per connection (default ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--timeout", defaultValue = "300", description = "The pool's timeout in ms (default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--baseline", defaultValue = "2000", description = "ms of load before the first fault (default ${DEFAULT-VALUE}).")
    long baseline;

    @Option(names = "--fault", defaultValue = "1500", description = "ms each fault lasts (default ${DEFAULT-VALUE}).")
    long fault;

    @Option(names = "--measure", defaultValue = "1500", description = "ms of throughput compared before and after (default ${DEFAULT-VALUE}).")
    long measure;

    @Option(names = "--rounds", defaultValue = "1", description = "Times every fault is done (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--faults", split = ",", description = "Which faults, in order (default: all): ${COMPLETION-CANDIDATES}.")
    List<ChaosRun.FaultKind> faults = Arrays.asList(ChaosRun.FaultKind.values());

    @Option(names = "--keys", defaultValue = "5000", description = "Distinct keys (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--value-size", defaultValue = "100", description = "Value bytes (default ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--recovery-ratio", defaultValue = "0.8", description = "Least share of the throughput before a fault that must be back after it (default ${DEFAULT-VALUE}).")
    double recoveryRatio;

    @Option(names = "--rate", defaultValue = "0", description = "Requests per second per connection, 0 for closed loop (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--launcher", description = "Run the proxy as its own process through this launcher (e.g. bin/shardgate); default: in this JVM.")
    Path launcher;

    @Option(names = "--out", required = true, description = "Folder for configs and logs.")
    Path out;

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new ChaosMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!protocol.equals("memcache") && !protocol.equals("redis")) throw new IllegalArgumentException("--protocol memcache or redis");
        ChaosRun.Settings settings = new ChaosRun.Settings(protocol.equals("redis"), proxyThreads, clientThreads,
                connections, depth, timeout, baseline, fault, measure, rounds, faults, keys, valueSize, out,
                launcher == null ? null : launcher.toAbsolutePath(), recoveryRatio, rate);
        ChaosRun.Result r = new ChaosRun(settings).run();
        System.out.println(ChaosRun.report(r));
        return r.passed() ? 0 : 1;
    }
}
