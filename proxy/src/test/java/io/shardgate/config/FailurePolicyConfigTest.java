package io.shardgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** shardgate's own failure-handling keys: nutcracker's behaviour unless set, strict values. */
class FailurePolicyConfigTest {
    private static PoolConfig parse(String extra) throws ConfigException {
        return ConfigLoader.parse("p:\n  listen: 127.0.0.1:22121\n" + extra + "  servers:\n   - 127.0.0.1:11211:1\n",
                Path.of("t.yml")).pools().get(0);
    }

    @Test
    void defaultsAreNutcrackers() throws Exception {
        assertThat(parse("").failurePolicy()).isEqualTo(FailurePolicy.NUTCRACKER);
        assertThat(FailurePolicy.NUTCRACKER.movesKeys()).isTrue();
    }

    @Test
    void everyOptionIsRead() throws Exception {
        FailurePolicy policy = parse("  eject_policy: miss\n  readmit_probe: true\n  flap_damping: true\n"
                + "  partial_multiget: true\n").failurePolicy();
        assertThat(policy).isEqualTo(new FailurePolicy(FailurePolicy.EjectPolicy.MISS, true, true, true));
        assertThat(parse("  eject_policy: fail\n").failurePolicy().ejectPolicy()).isEqualTo(FailurePolicy.EjectPolicy.FAIL);
        assertThat(parse("  eject_policy: rehash\n").failurePolicy().movesKeys()).isTrue();
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> parse("  eject_policy: sometimes\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pool 'p': key 'eject_policy': 'sometimes' is not a valid eject policy; valid "
                        + "policies: rehash, fail, miss");
        assertThatThrownBy(() -> parse("  partial_multiget: perhaps\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'partial_multiget'");
    }
}
