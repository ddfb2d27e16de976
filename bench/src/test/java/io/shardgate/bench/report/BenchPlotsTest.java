package io.shardgate.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPlotsTest {
    private static final String HEADER = String.join("\t", MedianTable.HEADER);

    private static MedianTable table() {
        return MedianTable.parse(List.of(HEADER,
                "get-p1\tdirect\t52000\t800\t2100\t5000\t9.5\t70.1\tok",
                "get-p1\tnutcracker\t41000\t1100\t2900\t6000\t12.1\t3.2\tok",
                "get-p1\tshardgate\t45000\t1000\t2500\t5500\t20.4\t90.5\tok",
                "mget-100\tdirect\t900\t50000\t90000\t-\t400\t70\tok",
                "mget-100\tnutcracker\t1200\t40000\t70000\t-\t800\t4\tok",
                "mget-100\tshardgate\t-\t-\t-\t-\t-\t-\tunavailable",
                "value-4k\tdirect\t0\t0\t0\t0\t-\t60\tok"));
    }

    @Test
    void parsesMediansWithMissingFigures() {
        MedianTable t = table();
        assertThat(t.workloads()).containsExactly("get-p1", "mget-100", "value-4k");
        assertThat(t.get("get-p1", "shardgate").ops()).isEqualTo(45000.0);
        assertThat(Metric.P99.of(t.get("get-p1", "nutcracker"))).isEqualTo(2.9);
        assertThat(Metric.CPU.of(t.get("mget-100", "direct"))).isEqualTo(400.0);
        assertThat(t.get("mget-100", "shardgate").ops()).isNull();
        assertThat(t.get("mget-100", "shardgate").status()).isEqualTo("unavailable");
        assertThat(Metric.THROUGHPUT.of(t.get("nope", "direct"))).isNull();
        // a run that completed nothing has a throughput (0) but no latency
        assertThat(Metric.THROUGHPUT.of(t.get("value-4k", "direct"))).isZero();
        assertThat(Metric.P99.of(t.get("value-4k", "direct"))).isNull();
        assertThatThrownBy(() -> MedianTable.parse(List.of("a\tb"))).hasMessageContaining("not a medians table");
        assertThatThrownBy(() -> MedianTable.parse(List.of(HEADER, "x\tdirect\t1"))).hasMessageContaining("line 2");
    }

    @Test
    void writesOneFigurePerMetricWithABarPerTargetThatHasAFigure(@TempDir Path dir) throws Exception {
        String longSubtitle = "a test: 1 round x 2 s on a loaded machine, ".repeat(12);
        List<Path> files = BenchPlots.write(table(), dir, "run", longSubtitle);
        assertThat(FigureRenderer.wrap(longSubtitle, 2 * FigureRenderer.PANEL_WIDTH).size()).isGreaterThan(2);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("run-throughput.png", "run-p99.png", "run-cpu-per-request.png");
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertThat(img.getWidth()).as(f.toString()).isEqualTo(2 * 16 + 3 * FigureRenderer.PANEL_WIDTH);
            // every target's colour is on the picture (bars and legend); the grid has two panels side by side
            for (int t = 0; t < FigureRenderer.TARGETS.size(); t++) {
                assertThat(pixels(img, FigureRenderer.COLOURS[t].getRGB(), 0, img.getWidth()))
                        .as(f + ": " + FigureRenderer.TARGETS.get(t)).isGreaterThan(200);
            }
        }
        // shardgate has no mget-100 figure: no shardgate-blue bar in the second panel (the legend's square is below)
        BufferedImage throughput = ImageIO.read(files.get(0).toFile());
        int blue = FigureRenderer.COLOURS[2].getRGB();
        int second = 16 + FigureRenderer.PANEL_WIDTH;
        int third = second + FigureRenderer.PANEL_WIDTH;
        int aboveLegend = throughput.getHeight() - 40;
        assertThat(pixels(throughput, blue, second, third, 0, aboveLegend)).isZero();
        assertThat(pixels(throughput, blue, 16, second, 0, aboveLegend)).isGreaterThan(200);
    }

    private static long pixels(BufferedImage img, int rgb, int x0, int x1) {
        return pixels(img, rgb, x0, x1, 0, img.getHeight());
    }

    private static long pixels(BufferedImage img, int rgb, int x0, int x1, int y0, int y1) {
        long n = 0;
        for (int x = x0; x < x1; x++) {
            for (int y = y0; y < y1; y++) {
                if ((img.getRGB(x, y) & 0xffffff) == (rgb & 0xffffff)) n++;
            }
        }
        return n;
    }
}
