package io.shardgate.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One figure of the benchmark report: a metric for every workload, as a grid of small JFreeChart bar charts (one
 * per workload, each on its own scale, since workloads differ by orders of magnitude), a bar per target in the
 * same colour throughout, the value written on each bar, and a title, a subtitle that says how and where the
 * numbers were taken, and a legend.
 */
final class FigureRenderer {
    static final List<String> TARGETS = List.of("direct", "nutcracker", "shardgate");
    static final Color[] COLOURS = {new Color(0x8a94a3), new Color(0xe08a2c), new Color(0x2f6db5)};
    static final int PANEL_WIDTH = 300;
    static final int PANEL_HEIGHT = 220;
    static final int COLUMNS = 4;
    private static final int MARGIN = 16;
    /** Above the panels: the title, the unit line, then the subtitle's lines. */
    private static final int HEADER_BASE = 72;
    private static final int FOOTER = 40;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 19);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private FigureRenderer() {}

    static BufferedImage render(Metric metric, MedianTable table, String subtitle) {
        List<String> workloads = table.workloads();
        int columns = Math.max(1, Math.min(COLUMNS, workloads.size()));
        int rows = Math.max(1, (workloads.size() + columns - 1) / columns);
        int width = 2 * MARGIN + columns * PANEL_WIDTH;
        List<String> subtitleLines = wrap(subtitle, width - 2 * MARGIN);
        int header = HEADER_BASE + subtitleLines.size() * lineHeight();
        int height = header + rows * PANEL_HEIGHT + FOOTER;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(0x1d2330));
            g.setFont(TITLE);
            g.drawString(metric.title + " by workload", MARGIN, MARGIN + 18);
            g.setFont(TEXT);
            g.setColor(new Color(0x4a5565));
            g.drawString(metric.unit, MARGIN, MARGIN + 40);
            for (int i = 0; i < subtitleLines.size(); i++) {
                g.drawString(subtitleLines.get(i), MARGIN, MARGIN + 58 + i * lineHeight());
            }
            for (int i = 0; i < workloads.size(); i++) {
                int x = MARGIN + (i % columns) * PANEL_WIDTH;
                int y = header + (i / columns) * PANEL_HEIGHT;
                panel(metric, table, workloads.get(i)).draw(g,
                        new Rectangle2D.Double(x, y, PANEL_WIDTH - 8, PANEL_HEIGHT - 8));
            }
            legend(g, MARGIN, height - FOOTER + 16);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** One workload: a bar per target that has a figure; a target without one says so under its name. */
    static JFreeChart panel(Metric metric, MedianTable table, String workload) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String target : TARGETS) {
            Double v = metric.of(table.get(workload, target));
            data.addValue(v, metric.title, v == null ? target + " (n/a)" : target);
        }
        BarRenderer bars = new BarRenderer() {
            @Override
            public Paint getItemPaint(int row, int column) {
                return COLOURS[column % COLOURS.length];
            }
        };
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        bars.setMaximumBarWidth(0.22);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", metric.format()));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(TICKS);
        bars.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        NumberAxis values = new NumberAxis();
        values.setTickLabelFont(TICKS);
        values.setUpperMargin(0.18);
        values.setAutoRangeIncludesZero(true);
        CategoryAxis targets = new CategoryAxis();
        targets.setTickLabelFont(TICKS);
        targets.setCategoryMargin(0.25);
        targets.setMaximumCategoryLabelLines(2); // "nutcracker (n/a)"
        CategoryPlot plot = new CategoryPlot(data, targets, values, bars);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(new Color(0xdde1e6));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setInsets(new RectangleInsets(4, 2, 2, 6));
        JFreeChart chart = new JFreeChart(workload, PANEL_TITLE, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setBorderVisible(false);
        TextTitle title = chart.getTitle();
        title.setPaint(new Color(0x1d2330));
        return chart;
    }

    private static void legend(Graphics2D g, int x, int baseline) {
        g.setFont(TEXT);
        for (int i = 0; i < TARGETS.size(); i++) {
            g.setColor(COLOURS[i]);
            g.fillRect(x, baseline - 10, 12, 12);
            g.setColor(new Color(0x1d2330));
            String label = TARGETS.get(i) + (i == 0 ? " (one backend, no proxy)" : "");
            g.drawString(label, x + 18, baseline);
            x += 18 + g.getFontMetrics().stringWidth(label) + 24;
        }
    }

    /** {@code text} in as many lines of {@link #TEXT} as {@code width} needs, broken between words. */
    static List<String> wrap(String text, int width) {
        FontMetrics m = metrics();
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (word.isEmpty()) continue;
            String next = line.length() == 0 ? word : line + " " + word;
            if (m.stringWidth(next) > width && line.length() > 0) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(next);
            }
        }
        if (line.length() > 0) lines.add(line.toString());
        return lines;
    }

    private static int lineHeight() {
        return metrics().getHeight();
    }

    private static FontMetrics metrics() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(TEXT);
        } finally {
            g.dispose();
        }
    }
}
