package io.shardgate.fuzz;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input in the fuzz targets' seed and regression directories ({@code <Target>Inputs/<method>/}) against its
 * target's properties, in the ordinary unit test run: quick, and without the fuzzer's agent.
 */
class FuzzSeedCorpusTest {
    interface Check {
        void check(byte[] input) throws IOException;
    }

    private static final Path CONFIG_FILE = Path.of("target", "fuzz-seed-config.yml");

    static Stream<Arguments> inputs() throws IOException, URISyntaxException {
        return Stream.of(
                inputs("McTextRequestFuzzTestInputs/textRequests", McTextRequestFuzzTest.PROPERTIES::check),
                inputs("MetaRequestFuzzTestInputs/metaRequests", McTextRequestFuzzTest.PROPERTIES::check),
                inputs("McReplyFuzzTestInputs/memcacheReplies", McReplyFuzzTest.PROPERTIES::check),
                inputs("RespRequestFuzzTestInputs/respRequests", RespRequestFuzzTest.PROPERTIES::check),
                inputs("RespReplyFuzzTestInputs/respReplies", RespReplyFuzzTest.PROPERTIES::check),
                inputs("ConfigLoaderFuzzTestInputs/configs", input -> ConfigLoaderFuzzTest.check(CONFIG_FILE, input)))
                .flatMap(s -> s);
    }

    private static Stream<Arguments> inputs(String dir, Check check) throws IOException, URISyntaxException {
        Path path = Path.of(FuzzSeedCorpusTest.class.getResource(dir).toURI());
        try (Stream<Path> files = Files.list(path)) {
            return files.sorted().map(f -> Arguments.of(dir + "/" + f.getFileName(), f, check)).toList().stream();
        }
    }

    @Timeout(30)
    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void seedHasEveryProperty(String name, Path file, Check check) throws IOException {
        check.check(Files.readAllBytes(file));
    }
}
