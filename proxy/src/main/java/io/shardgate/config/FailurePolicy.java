package io.shardgate.config;

/**
 * shardgate's failure handling beyond nutcracker, each off by default so a nutcracker config behaves as under
 * nutcracker. Set per pool with the keys {@code eject_policy}, {@code readmit_probe}, {@code flap_damping} and
 * {@code partial_multiget} (docs/CONFIG.md).
 *
 * @param ejectPolicy what an ejected server's keys do
 * @param readmitProbe re-admit an ejected server only once a health probe (memcached {@code version}, redis
 *     {@code PING}) succeeds, probing with exponential backoff
 * @param flapDamping a server ejected again soon after coming back stays out twice as long each time
 * @param partialMultiget a multi-key get answers a failed server's keys as misses instead of failing whole
 */
public record FailurePolicy(EjectPolicy ejectPolicy, boolean readmitProbe, boolean flapDamping, boolean partialMultiget) {

    /** nutcracker's behaviour. */
    public static final FailurePolicy NUTCRACKER = new FailurePolicy(EjectPolicy.REHASH, false, false, false);

    public enum EjectPolicy {
        /** nutcracker's: the server leaves the distribution and its keys move to the others. */
        REHASH,
        /** Keys stay put; requests for an ejected server's keys fail at once with an error. */
        FAIL,
        /** Like FAIL, but retrievals are answered as misses. */
        MISS;

        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean movesKeys() {
        return ejectPolicy == EjectPolicy.REHASH;
    }
}
