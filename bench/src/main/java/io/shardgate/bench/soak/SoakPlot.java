package io.shardgate.bench.soak;

import io.shardgate.bench.chaos.FaultLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's samples as one PNG: memory, GC, latency and throughput over time, with the faults shaded. */
final class SoakPlot {
    private SoakPlot() {}

    static void write(Path png, String title, List<Sample> samples, List<FaultLog.Fault> faults, long loadStartNanos)
            throws IOException {
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("minutes"));
        plot.setGap(8);
        plot.add(panel("memory (MB)", samples, new String[] {"RSS", "heap in use", "old gen after GC", "metaspace + code",
                "direct buffers"}, List.of(Sample::rssMb, Sample::heapMb, Sample::oldAfterGcMb, Sample::nonHeapMb,
                Sample::directMb)), 3);
        plot.add(panel("GC pause (ms/interval)", samples, new String[] {"GC pause time"}, List.of(Sample::gcMs)), 1);
        plot.add(panel("latency (ms)", samples, new String[] {"p99", "max"}, List.of(Sample::p99Ms, Sample::maxMs)), 2);
        plot.add(panel("requests/s", samples, new String[] {"verified ops/s"}, List.of(Sample::opsPerSecond)), 1);
        for (Object o : plot.getSubplots()) {
            XYPlot sub = (XYPlot) o;
            for (FaultLog.Fault f : faults) {
                double from = (f.startedAt - loadStartNanos) / 60e9;
                double to = f.liftedAt() == Long.MAX_VALUE ? from : (f.liftedAt() - loadStartNanos) / 60e9;
                IntervalMarker m = new IntervalMarker(from, Math.max(to, from + 0.02));
                m.setPaint(new Color(255, 120, 120, 90));
                sub.addDomainMarker(m);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 1100);
    }

    private static XYPlot panel(String axis, List<Sample> samples, String[] names, List<ToDoubleFunction<Sample>> values) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int i = 0; i < names.length; i++) {
            XYSeries s = new XYSeries(names[i], false, true);
            for (Sample x : samples) {
                double v = values.get(i).applyAsDouble(x);
                if (!Double.isNaN(v)) s.add(x.seconds() / 60.0, v);
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < names.length; i++) r.setSeriesStroke(i, new BasicStroke(1.3f));
        NumberAxis y = new NumberAxis(axis);
        y.setAutoRangeIncludesZero(true);
        XYPlot p = new XYPlot(data, null, y, r);
        p.setBackgroundPaint(new Color(248, 248, 248));
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return p;
    }
}
