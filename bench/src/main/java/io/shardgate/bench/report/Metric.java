package io.shardgate.bench.report;

import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.function.Function;

/** A figure the benchmark report plots: where it comes from in the medians, its unit and which way is better. */
enum Metric {
    THROUGHPUT("throughput", "Throughput", "operations per second (a multi-key get counts once), higher is better",
            MedianTable.Row::ops, "#,##0"),
    P99("p99", "p99 latency", "milliseconds, lower is better",
            r -> r.p99Micros() == null || !completed(r) ? null : r.p99Micros() / 1000, "#,##0.##"),
    CPU("cpu-per-request", "CPU per request",
            "microseconds of CPU per request: the proxy's (for direct, the backend's own), lower is better",
            r -> completed(r) ? r.cpuSecondsPerMillion() : null, "#,##0.#");

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

    /** A run that completed no request has no latency or cost to show (its p99 reads 0). */
    private static boolean completed(MedianTable.Row r) {
        return r.ops() != null && r.ops() > 0;
    }

    /** The row's figure in this metric's unit, or null when it has none. */
    Double of(MedianTable.Row row) {
        return row == null ? null : value.apply(row);
    }

    NumberFormat format() {
        return new DecimalFormat(format);
    }
}
