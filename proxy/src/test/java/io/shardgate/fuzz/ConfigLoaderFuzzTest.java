package io.shardgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shardgate.config.ConfigException;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ProxyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The YAML config loader, through {@link ConfigLoader#load} as the CLI calls it. Names resolve from a hosts file
 * only in the fuzz JVMs (see the fuzz execution in proxy/pom.xml), so no input sends a lookup off the machine.
 *
 * <p>Properties: the loader refuses with a {@link ConfigException} and nothing else, whose message is one line
 * naming the file; what it accepts is a config every pool of which has a listen address and servers, with unique
 * names; written back as YAML ({@link ConfigYaml}) it loads again to the same config.
 */
class ConfigLoaderFuzzTest {
    private static final Path FILE = tempFile();

    @DictionaryFile(resourcePath = "config.dict")
    @FuzzTest
    void configs(byte[] input) throws IOException {
        check(FILE, input);
    }

    static void check(Path file, byte[] input) throws IOException {
        Files.write(file, input);
        ProxyConfig config;
        try {
            config = ConfigLoader.load(file);
        } catch (ConfigException e) {
            String message = e.getMessage();
            if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
                throw new AssertionError("a message of more than one line: " + message, e);
            }
            if (!message.startsWith(file.toString()) || e.problem() == null || e.problem().isBlank() || e.line() < 0) {
                throw new AssertionError("a message that does not name the file and the problem: " + message, e);
            }
            return;
        }
        Set<String> names = new HashSet<>();
        for (PoolConfig pool : config.pools()) {
            if (!names.add(pool.name()) || pool.name().isEmpty()) throw new AssertionError("pool name " + pool.name());
            if (pool.listen() == null || pool.servers().isEmpty()) throw new AssertionError("incomplete pool " + pool);
        }
        if (config.pools().isEmpty()) throw new AssertionError("a config without pools");
        ConfigLoader.warnings(config);
        String yaml = ConfigYaml.write(config);
        ProxyConfig again;
        try {
            again = ConfigLoader.parse(yaml, file);
        } catch (ConfigException e) {
            throw new AssertionError("the config accepted refused when written back:\n" + yaml, e);
        }
        if (!again.pools().equals(config.pools())) {
            throw new AssertionError("written back and read again, " + config.pools() + " became " + again.pools());
        }
    }

    private static Path tempFile() {
        try {
            Path file = Files.createTempFile("shardgate-fuzz-", ".yml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
