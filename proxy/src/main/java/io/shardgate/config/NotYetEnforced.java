package io.shardgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The pool keys shardgate reads but whose behaviour the proxy core does not have yet. A pool that sets one of
 * them to anything but nutcracker's default gets a warning at start, so no setting is silently ignored.
 *
 * <p>When the core gains a feature, delete its row from {@link #RULES} (and update docs/CONFIG.md).
 */
public final class NotYetEnforced {
    private NotYetEnforced() {}

    /** One key: when a pool's value matters, how to print it, and what happens instead. */
    record Rule(String key, Predicate<PoolConfig> isSet, Function<PoolConfig, Object> value, String meanwhile) {}

    /** Empty: every nutcracker pool key is enforced now. Kept so a key added later can warn the same way. */
    static final List<Rule> RULES = List.of();

    /** The keys named in {@link #RULES}, for docs and tests. */
    public static List<String> keys() {
        return RULES.stream().map(Rule::key).toList();
    }

    static List<ConfigWarning> warnings(ProxyConfig config) {
        List<ConfigWarning> warnings = new ArrayList<>();
        for (PoolConfig pool : config.pools()) {
            for (Rule rule : RULES) {
                if (rule.isSet().test(pool)) {
                    warnings.add(new ConfigWarning(pool.name(), rule.key(), String.valueOf(rule.value().apply(pool)),
                            rule.meanwhile()));
                }
            }
        }
        return warnings;
    }
}
