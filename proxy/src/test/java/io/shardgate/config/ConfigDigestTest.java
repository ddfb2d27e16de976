package io.shardgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDigestTest {
    private static String digest(String yaml) throws ConfigException {
        return ConfigDigest.of(ConfigLoader.parse(yaml, Path.of("t.yml")));
    }

    @Test
    void sameEffectiveConfigSameDigestWhateverTheLayout() throws Exception {
        String a = digest("alpha:\n  listen: 127.0.0.1:22121\n  timeout: 400\n  servers:\n   - 127.0.0.1:11211:1\n");
        String b = digest("# a comment\nalpha:\n  timeout: 400   # ms\n  listen: 127.0.0.1:22121\n"
                + "  hash: fnv1a_64\n  servers:\n    - 127.0.0.1:11211:1\n");
        assertThat(a).matches("sha256:[0-9a-f]{12}").isEqualTo(b);
        assertThat(digest("alpha:\n  listen: 127.0.0.1:22121\n  timeout: 500\n  servers:\n   - 127.0.0.1:11211:1\n"))
                .isNotEqualTo(a);
        assertThat(digest("alpha:\n  listen: 127.0.0.1:22121\n  timeout: 400\n  servers:\n   - 127.0.0.1:11212:1\n"))
                .isNotEqualTo(a);
    }

    @Test
    void aRedisPasswordCountsOnlyAsSetOrUnset() throws Exception {
        String base = "r:\n  listen: 127.0.0.1:22121\n  redis: true\n  servers:\n   - 127.0.0.1:6379:1\n";
        String one = digest(base + "  redis_auth: hunter2\n");
        String two = digest(base + "  redis_auth: correct-horse\n");
        assertThat(one).isEqualTo(two).isNotEqualTo(digest(base));
    }
}
