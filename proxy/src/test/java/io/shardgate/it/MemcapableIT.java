package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.testsupport.ExternalServer;
import io.shardgate.testsupport.ProxyFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * libmemcached's own conformance suite, {@code memccapable} (Debian's libmemcached-tools), through the proxy in
 * front of three memcached servers: every ASCII test must pass, as it does against one memcached.
 */
class MemcapableIT {
    @Test
    void everyAsciiTestPassesThroughTheProxy() throws Exception {
        String memcapable = ExternalServer.requireProgram("memccapable");
        try (ProxyFixture fixture = ProxyFixture.memcache(3)) {
            Process run = new ProcessBuilder(memcapable, "-a", "-h", "127.0.0.1", "-p", String.valueOf(fixture.port()),
                    "-t", "5").redirectErrorStream(true).start();
            String output = readAll(run);
            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("memccapable finished").isTrue();
            assertThat(output).doesNotContain("[FAIL]").contains("All tests passed");
            assertThat(output.lines().filter(l -> l.startsWith("ascii ") && l.endsWith("[pass]")).count())
                    .as(output).isEqualTo(27);
            assertThat(run.exitValue()).as(output).isZero();
        }
    }

    private static String readAll(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
