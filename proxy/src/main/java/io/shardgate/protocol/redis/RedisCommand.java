package io.shardgate.protocol.redis;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One redis command as the proxy sees it: its arity (redis's convention: {@code n} exactly n arguments with the
 * name, {@code -n} at least n), how it is served, and where its keys are. Instances are declared once, in
 * {@link RedisCommands}.
 */
final class RedisCommand {
    /** How a command is served. */
    enum Kind {
        /** One key, at {@link #firstKey}: forwarded as sent to that key's server. */
        SINGLE,
        /** Several keys that must live on one server (scripts, stores, moves): forwarded whole, or refused. */
        TOGETHER,
        /** Several independent keys: one sub-request per server, replies merged ({@link Merge}). */
        SPLIT,
        /** No key, same answer from any server (COMMAND, LOLWUT): forwarded to one server. */
        ANY_SERVER,
        /** Answered by the proxy itself ({@link Local}). */
        LOCAL,
        /** Not served by a sharding proxy: a clear error, and the connection stays usable. */
        REFUSED
    }

    /** How the replies of a split command's parts become one reply. */
    enum Merge { NONE, VALUES, SUM, ALL_OK }

    enum Local { PING, ECHO, AUTH, SELECT, QUIT, HELLO, CLIENT }

    /** Why a command is refused; the message names the command. */
    enum Refusal {
        KEYSPACE("it needs the keyspace of every server"),
        TRANSACTION("transactions cannot span the servers of a pool"),
        BLOCKING("blocking commands would hold a server connection shared with other clients"),
        PUBSUB("publish/subscribe is not proxied"),
        ADMIN("server administration commands must be sent to each server directly"),
        DATABASE("the database is chosen by the proxy (redis_db); clients only see database 0"),
        SCRIPT_ADMIN("script and function management must be sent to each server directly"),
        CLUSTER("the pool is not a redis cluster");

        final String reason;

        Refusal(String reason) {
            this.reason = reason;
        }
    }

    final String name;
    /** This command's index in {@link RedisCommands#ALL}, which is how the per-command stats count it. */
    int id = -1;
    final byte[] nameBytes;
    final int arity;
    final Kind kind;
    /** First key argument; for commands with a numkeys argument, the first of the numkeys keys. */
    final int firstKey;
    /** Last key argument, or negative counting from the end (-1 is the last argument). */
    final int lastKey;
    final int keyStep;
    /** The argument holding the number of keys, or 0 when the keys are at fixed positions. */
    final int numkeysAt;
    /** A destination key before the numkeys argument (ZUNIONSTORE dest numkeys ...), or 0. */
    final int destKey;
    /** XREAD and XREADGROUP: keys are the first half of the arguments after STREAMS. */
    final boolean streams;
    final Merge merge;
    final Local local;
    final Refusal refusal;

    private RedisCommand(String name, int arity, Kind kind, int firstKey, int lastKey, int keyStep, int numkeysAt,
            int destKey, boolean streams, Merge merge, Local local, Refusal refusal) {
        this.name = name.toLowerCase(Locale.ROOT);
        this.nameBytes = this.name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.kind = kind;
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.numkeysAt = numkeysAt;
        this.destKey = destKey;
        this.streams = streams;
        this.merge = merge;
        this.local = local;
        this.refusal = refusal;
    }

    // ---- declarations, used by RedisCommands ----

    /** The key is argument 1. */
    static RedisCommand single(String name, int arity) {
        return new RedisCommand(name, arity, Kind.SINGLE, 1, 1, 1, 0, 0, false, Merge.NONE, null, null);
    }

    /** The key is argument {@code at} (a subcommand comes first: OBJECT ENCODING key, XINFO STREAM key). */
    static RedisCommand singleAt(String name, int arity, int at) {
        return new RedisCommand(name, arity, Kind.SINGLE, at, at, 1, 0, 0, false, Merge.NONE, null, null);
    }

    /** Keys at first..last (negative last counts from the end), every {@code step}, all on one server. */
    static RedisCommand together(String name, int arity, int first, int last, int step) {
        return new RedisCommand(name, arity, Kind.TOGETHER, first, last, step, 0, 0, false, Merge.NONE, null, null);
    }

    /** {@code numkeys} at argument {@code numkeysAt}, that many keys from {@code first}, all on one server. */
    static RedisCommand numkeys(String name, int arity, int numkeysAt, int first) {
        return new RedisCommand(name, arity, Kind.TOGETHER, first, 0, 1, numkeysAt, 0, false, Merge.NONE, null, null);
    }

    /** A destination key at 1, then numkeys at 2 and the keys from 3 (ZUNIONSTORE and friends). */
    static RedisCommand destNumkeys(String name, int arity) {
        return new RedisCommand(name, arity, Kind.TOGETHER, 3, 0, 1, 2, 1, false, Merge.NONE, null, null);
    }

    static RedisCommand streams(String name, int arity) {
        return new RedisCommand(name, arity, Kind.TOGETHER, 0, 0, 1, 0, 0, true, Merge.NONE, null, null);
    }

    /** Keys from 1 to the end, every {@code step} arguments, split per server and merged. */
    static RedisCommand split(String name, int arity, int step, Merge merge) {
        return new RedisCommand(name, arity, Kind.SPLIT, 1, -1, step, 0, 0, false, merge, null, null);
    }

    static RedisCommand anyServer(String name, int arity) {
        return new RedisCommand(name, arity, Kind.ANY_SERVER, 0, 0, 1, 0, 0, false, Merge.NONE, null, null);
    }

    static RedisCommand local(String name, int arity, Local local) {
        return new RedisCommand(name, arity, Kind.LOCAL, 0, 0, 1, 0, 0, false, Merge.NONE, local, null);
    }

    static RedisCommand refused(String name, Refusal refusal) {
        return new RedisCommand(name, -1, Kind.REFUSED, 0, 0, 1, 0, 0, false, Merge.NONE, null, refusal);
    }

    boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    boolean isMultiKey() {
        return kind == Kind.TOGETHER || kind == Kind.SPLIT;
    }

    @Override
    public String toString() {
        return name;
    }
}
