package io.shardgate.bench.load;

/** Why a request failed verification. A request counts as one error, of the first kind found. */
public enum ErrorKind {
    /** A value came back for a requested key, but its bytes are not what was set (another key's, or garbled). */
    WRONG_VALUE,
    /** A versioned value older than a version of the key acknowledged before the get was sent. */
    STALE_VALUE,
    /** A versioned value whose version of the key was never written. */
    UNWRITTEN_VERSION,
    /** A requested key had no value in the reply (a miss; every key is expected to hit after --preload). */
    MISSING_VALUE,
    /** A value came back for a key that was not requested. */
    UNEXPECTED_KEY,
    /** The same key's value came back twice for one request. */
    DUPLICATE_VALUE,
    /** A value had the wrong length. */
    WRONG_LENGTH,
    /** A value had flags other than the 0 that was set. */
    WRONG_FLAGS,
    /** The server answered ERROR, CLIENT_ERROR or SERVER_ERROR. */
    SERVER_ERROR,
    /** A set was answered with something other than STORED (NOT_STORED, EXISTS, NOT_FOUND). */
    NOT_STORED,
    /** A reply could not be parsed; the connection is closed, its other outstanding requests count as NO_REPLY. */
    PROTOCOL,
    /** No reply came: the connection closed, or the run ended and the drain timed out. */
    NO_REPLY;

    /**
     * True for a reply that is not the reply to its request: another request's value, a value nobody wrote, a reply
     * that does not parse. Never acceptable, faults or not; the other kinds are failures a fault may explain.
     */
    public boolean isMismatch() {
        return switch (this) {
            case MISSING_VALUE, SERVER_ERROR, NOT_STORED, NO_REPLY -> false;
            default -> true;
        };
    }

    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
