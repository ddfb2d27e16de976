package io.shardgate.protocol.memcache;

import java.nio.charset.StandardCharsets;

/** The memcached text commands the proxy knows, and what kind of handling each needs. */
enum McCommand {
    GET(Kind.RETRIEVAL), GETS(Kind.RETRIEVAL), GAT(Kind.RETRIEVAL), GATS(Kind.RETRIEVAL),
    SET(Kind.STORAGE), ADD(Kind.STORAGE), REPLACE(Kind.STORAGE), APPEND(Kind.STORAGE), PREPEND(Kind.STORAGE),
    CAS(Kind.STORAGE),
    INCR(Kind.ARITHMETIC), DECR(Kind.ARITHMETIC),
    DELETE(Kind.DELETE),
    TOUCH(Kind.TOUCH),
    VERSION(Kind.LOCAL), QUIT(Kind.LOCAL),
    FLUSH_ALL(Kind.ADMIN), STATS(Kind.ADMIN), VERBOSITY(Kind.ADMIN);

    /**
     * LOCAL commands are answered by the proxy from what it knows; ADMIN ones are memcached's server commands
     * that a proxy serves for the whole pool: {@code flush_all} goes to every server, {@code stats} shows the
     * proxy's own figures, {@code verbosity} is acknowledged.
     */
    enum Kind { RETRIEVAL, STORAGE, ARITHMETIC, DELETE, TOUCH, LOCAL, ADMIN }

    final Kind kind;
    final byte[] name;

    McCommand(Kind kind) {
        this.kind = kind;
        this.name = name().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }

    /** Retrievals whose first argument is an exptime, not a key. */
    boolean touchesOnRetrieval() {
        return this == GAT || this == GATS;
    }
}
