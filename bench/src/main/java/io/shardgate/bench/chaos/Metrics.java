package io.shardgate.bench.chaos;

import java.util.HashMap;
import java.util.Map;

/** One scrape of the Prometheus text format: every sample by its name with labels, as written. */
public final class Metrics {
    private final Map<String, Double> samples;

    private Metrics(Map<String, Double> samples) {
        this.samples = samples;
    }

    public static Metrics parse(String text) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            if (space <= 0) continue;
            try {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return new Metrics(samples);
    }

    /** The sample {@code name{labels}} exactly as written, or NaN. */
    public double get(String nameWithLabels) {
        return samples.getOrDefault(nameWithLabels, Double.NaN);
    }

    /** The sum of every sample of {@code name} whatever its labels (0 when there is none). */
    public double sum(String name) {
        double s = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if (k.equals(name) || (k.startsWith(name) && k.charAt(name.length()) == '{')) s += e.getValue();
        }
        return s;
    }
}
