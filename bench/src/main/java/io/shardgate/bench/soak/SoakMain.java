package io.shardgate.bench.soak;

import io.netty.util.ResourceLeakDetector;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The soak's command line (scripts/soak.sh runs it). Exit code 0 when every verdict passed, 1 when one failed. */
@Command(name = "shardgate-soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs shardgate under a mixed verified load with faults for a while; samples memory and latency.")
public final class SoakMain implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "3600", description = "Seconds of load (default ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--sample-every", defaultValue = "5", description = "Seconds between samples (default ${DEFAULT-VALUE}).")
    double sampleEvery;

    @Option(names = "--fault-every", defaultValue = "300", description = "Seconds between faults, 0 for none (default ${DEFAULT-VALUE}).")
    double faultEvery;

    @Option(names = "--warmup", defaultValue = "300", description = "Seconds not judged for memory (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--out", required = true, description = "Folder for samples.csv, soak.png, summary.md and logs.")
    Path out;

    @Option(names = "--launcher", defaultValue = "bin/shardgate", description = "shardgate's launcher (default ${DEFAULT-VALUE}).")
    Path launcher;

    @Option(names = "--proxy-threads", defaultValue = "2", description = "shardgate's --threads (default ${DEFAULT-VALUE}).")
    int proxyThreads;

    @Option(names = "--client-threads", defaultValue = "1", description = "Load generator event loops (default ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--load", defaultValue = "1.0", description = "Scales every group's request rate (default ${DEFAULT-VALUE}: ~5,700 requests/s).")
    double load;

    @Option(names = "--rss-band", defaultValue = "64", description = "MB RSS, old gen and direct memory may vary by after the warm-up (default ${DEFAULT-VALUE}).")
    double rssBand;

    @Option(names = "--growth-band", defaultValue = "16", description = "MB they may grow by, last quarter over first (default ${DEFAULT-VALUE}).")
    double growthBand;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new SoakMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SoakRun.Settings settings = new SoakRun.Settings(duration, sampleEvery, faultEvery, warmup, out,
                launcher.toAbsolutePath(), proxyThreads, clientThreads, load, rssBand, growthBand);
        return new SoakRun(settings).run() ? 0 : 1;
    }
}
