package io.shardgate.bench.report;

import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.function.Function;

/** A figure the benchmark report plots: where it comes from in the medians, its unit and which way is better. */
enum Metric {
    THROUGHPUT("throughput", "Throughput", "operations per second (a multi-key get counts once), higher is better",
            MedianTable.Row::ops, "#,##0"),
    P99("p99", "p99 latency", "milliseconds, lower is better",
            r -> r.p99Micros() == null ? null : r.p99Micros() / 1000, "0.00"),
    CPU("cpu-per-request", "CPU per request",
            "microseconds of CPU per request: the proxy's (for direct, the backend's own), lower is better",
            MedianTable.Row::cpuSecondsPerMillion, "0.0");

    /** The PNG's name after the report's stem: {@code report-throughput.png}. */
    final String fileSuffix;
    final String title;
    final String unit;
    private final Function<MedianTable.Row, Double> value;
    private final String format;

    Metric(String fileSuffix, String title, String unit, Function<MedianTable.Row, Double> value, String format) {
        this.fileSuffix = fileSuffix;
        this.title = title;
        this.unit = unit;
        this.value = value;
        this.format = format;
    }

    /** The row's figure in this metric's unit, or null when it has none. */
    Double of(MedianTable.Row row) {
        return row == null ? null : value.apply(row);
    }

    NumberFormat format() {
        return new DecimalFormat(format);
    }
}
