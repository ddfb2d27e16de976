package io.shardgate.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The medians {@code scripts/bench.sh} computed for its report, one line per workload and target, tab-separated:
 * {@code workload target ops p50_us p99_us p999_us cpu_s_per_m_req rss_mb status}, with {@code -} for a figure that
 * is missing (a target that was not available or failed). The plots read these rather than the raw results, so the
 * pictures show exactly the numbers of the tables.
 */
record MedianTable(List<String> workloads, Map<String, Row> rows) {
    static final List<String> HEADER = List.of("workload", "target", "ops", "p50_us", "p99_us", "p999_us",
            "cpu_s_per_m_req", "rss_mb", "status");

    /** One workload against one target; a missing figure is null. */
    record Row(String workload, String target, Double ops, Double p50Micros, Double p99Micros, Double p999Micros,
            Double cpuSecondsPerMillion, Double rssMegabytes, String status) {}

    Row get(String workload, String target) {
        return rows.get(workload + "\t" + target);
    }

    static MedianTable read(Path file) throws IOException {
        return parse(Files.readAllLines(file));
    }

    static MedianTable parse(List<String> lines) {
        if (lines.isEmpty() || !List.of(lines.get(0).split("\t")).equals(HEADER)) {
            throw new IllegalArgumentException("not a medians table: the first line must be " + String.join(" ", HEADER));
        }
        List<String> workloads = new ArrayList<>();
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length != HEADER.size()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + f.length + " fields, expected "
                        + HEADER.size() + ": " + line);
            }
            Row row = new Row(f[0], f[1], number(f[2]), number(f[3]), number(f[4]), number(f[5]), number(f[6]),
                    number(f[7]), f[8]);
            if (!workloads.contains(row.workload())) workloads.add(row.workload());
            rows.put(row.workload() + "\t" + row.target(), row);
        }
        return new MedianTable(List.copyOf(workloads), Map.copyOf(rows));
    }

    private static Double number(String field) {
        if (field.isEmpty() || field.equals("-") || field.equals("null")) return null;
        return Double.valueOf(field);
    }
}
