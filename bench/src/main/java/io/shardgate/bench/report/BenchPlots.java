package io.shardgate.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Draws the benchmark report's plots from the medians {@code scripts/bench.sh} computed: throughput, p99 and CPU
 * per request for every workload and target, one PNG each, named after the report ({@code STEM-throughput.png},
 * {@code STEM-p99.png}, {@code STEM-cpu-per-request.png}). Prints the files it wrote, one per line.
 */
@Command(name = "bench-plots", mixinStandardHelpOptions = true,
        description = "Plots a bench.sh medians table (TSV) as PNG bar charts.")
public final class BenchPlots implements Callable<Integer> {
    @Option(names = "--medians", required = true, paramLabel = "FILE", description = "The medians table bench.sh wrote.")
    Path medians;

    @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Where the PNGs go.")
    Path outDir;

    @Option(names = "--stem", defaultValue = "report", paramLabel = "NAME",
            description = "The PNGs' names start with this (default ${DEFAULT-VALUE}).")
    String stem;

    @Option(names = "--subtitle", defaultValue = "", paramLabel = "TEXT",
            description = "How and where the numbers were taken, printed under each title.")
    String subtitle;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new BenchPlots()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        List<Path> written = write(MedianTable.read(medians), outDir, stem, subtitle);
        written.forEach(System.out::println);
        return 0;
    }

    static List<Path> write(MedianTable table, Path dir, String stem, String subtitle) throws IOException {
        if (table.workloads().isEmpty()) throw new IllegalArgumentException("the medians table has no rows");
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            Path file = dir.resolve(stem + "-" + metric.fileSuffix + ".png");
            if (!ImageIO.write(FigureRenderer.render(metric, table, subtitle), "png", file.toFile())) {
                throw new IOException("no PNG writer in this JVM");
            }
            out.add(file);
        }
        return out;
    }
}
