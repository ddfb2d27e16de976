package io.shardgate.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser. Strict where nutcracker is:
 * a key given twice in one mapping, aliases, tags and a second document are errors. YAML syntax errors carry the
 * line the YAML parser points at.
 */
final class YamlTreeReader {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final Path file;
    private final YAMLParser parser;
    /** The pool whose mapping is being read (depth 1 key), for messages. */
    private String currentPool;

    private YamlTreeReader(Path file, YAMLParser parser) {
        this.file = file;
        this.parser = parser;
    }

    /** The root node of {@code yaml}, or null when the text holds no document (empty, or only comments). */
    static YamlNode read(String yaml, Path file) throws ConfigException {
        try (YAMLParser parser = (YAMLParser) FACTORY.createParser(yaml)) {
            YamlTreeReader reader = new YamlTreeReader(file, parser);
            JsonToken first = parser.nextToken();
            if (first == null) return null;
            YamlNode root = reader.node(first, 0);
            if (parser.nextToken() != null) {
                throw new ConfigException(file, reader.line(), null, null,
                        "the file holds more than one YAML document; a config is a single document");
            }
            return root;
        } catch (IOException e) {
            throw syntaxError(file, e);
        }
    }

    private YamlNode node(JsonToken token, int depth) throws IOException, ConfigException {
        int line = line();
        if (parser.isCurrentAlias()) {
            throw error(line, "YAML aliases ('*" + parser.getText() + "') are not supported, as in nutcracker");
        }
        Object tag = parser.getTypeId();
        if (tag != null) {
            throw error(line, "YAML tags ('" + tag + "') are not supported, as in nutcracker");
        }
        switch (token) {
            case START_OBJECT:
                return mapping(line, depth);
            case START_ARRAY:
                return sequence(line, depth);
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
            case VALUE_NULL:
                String text = parser.getText();
                return new YamlNode.Scalar(text == null ? "" : text, line);
            default:
                throw error(line, "unexpected YAML content (" + token + ")");
        }
    }

    private YamlNode.Mapping mapping(int line, int depth) throws IOException, ConfigException {
        List<YamlNode.Entry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line();
            Integer first = seen.putIfAbsent(key, keyLine);
            if (first != null) {
                if (depth == 0) {
                    throw error(keyLine, "pool '" + key + "' is defined twice (first on line " + first + ")");
                }
                throw new ConfigException(file, keyLine, currentPool, key,
                        "is a duplicate (first given on line " + first + ")");
            }
            if (depth == 0) currentPool = key;
            YamlNode value = node(parser.nextToken(), depth + 1);
            entries.add(new YamlNode.Entry(key, keyLine, value));
        }
        if (token != JsonToken.END_OBJECT) throw error(line(), "unexpected YAML content (" + token + ")");
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode.Sequence sequence(int line, int depth) throws IOException, ConfigException {
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) throw error(line(), "unexpected end of the YAML document");
            items.add(node(token, depth + 1));
        }
        return new YamlNode.Sequence(items, line);
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private ConfigException error(int line, String problem) {
        return new ConfigException(file, line, null, null, problem);
    }

    @SuppressWarnings("deprecation") // Jackson's wrapper of SnakeYAML's exception is the only way to its marks
    private static ConfigException syntaxError(Path file, IOException e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException marked) {
                int line = marked.getProblemMark() != null ? marked.getProblemMark().getLine() + 1 : 0;
                String problem = marked.getProblem() != null ? marked.getProblem() : "malformed YAML";
                String context = marked.getContext();
                return new ConfigException(file, line, null, null, "YAML syntax error: "
                        + (context != null ? context + ": " : "") + oneLine(problem));
            }
            t = t.getCause();
        }
        int line = e instanceof JsonProcessingException j && j.getLocation() != null ? j.getLocation().getLineNr() : 0;
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return new ConfigException(file, Math.max(line, 0), null, null, "YAML syntax error: " + oneLine(message));
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
