package io.shardgate.config;

import java.util.List;

/**
 * The parsed, not yet validated form of a config file: plain YAML mappings, sequences and scalars, each with the
 * line it starts on. Scalars keep their text exactly as written (after YAML unquoting), so that {@code 0400} stays
 * {@code 0400} and {@code yes} stays {@code yes}: the validator, not the YAML library, decides what a value means,
 * the way nutcracker does.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    /** The 1-based line the node starts on. */
    int line();

    /** A short description for messages: "a single value", "a list", "a mapping". */
    String kind();

    /**
     * @param text the scalar as written, empty for an empty value; YAML's nulls stay text ({@code ~}, {@code null})
     *     as they do for nutcracker
     */
    record Scalar(String text, int line) implements YamlNode {
        public boolean isEmpty() {
            return text.isEmpty();
        }

        @Override
        public String kind() {
            return "a single value";
        }
    }

    /** A mapping, its entries in file order; keys are unique (the reader refuses duplicates). */
    record Mapping(List<Entry> entries, int line) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** @param line the line of the key */
    record Entry(String key, int line, YamlNode value) {}

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }
}
