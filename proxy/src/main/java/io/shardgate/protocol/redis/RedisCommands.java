package io.shardgate.protocol.redis;

import static io.shardgate.protocol.redis.RedisCommand.Local;
import static io.shardgate.protocol.redis.RedisCommand.Merge;
import static io.shardgate.protocol.redis.RedisCommand.Refusal;
import static io.shardgate.protocol.redis.RedisCommand.anyServer;
import static io.shardgate.protocol.redis.RedisCommand.destNumkeys;
import static io.shardgate.protocol.redis.RedisCommand.local;
import static io.shardgate.protocol.redis.RedisCommand.numkeys;
import static io.shardgate.protocol.redis.RedisCommand.refused;
import static io.shardgate.protocol.redis.RedisCommand.single;
import static io.shardgate.protocol.redis.RedisCommand.singleAt;
import static io.shardgate.protocol.redis.RedisCommand.split;
import static io.shardgate.protocol.redis.RedisCommand.streams;
import static io.shardgate.protocol.redis.RedisCommand.together;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The command table: every redis command the proxy knows, declared once. Arities follow redis 7's own table
 * (positive: exactly, negative: at least, the command name included). Lookup is case-insensitive, straight from
 * the request bytes, without allocating.
 */
final class RedisCommands {
    private RedisCommands() {}

    static final List<RedisCommand> ALL = List.of(
            // ---- keys ----
            split("del", -2, 1, Merge.SUM),
            split("unlink", -2, 1, Merge.SUM),
            split("exists", -2, 1, Merge.SUM),
            split("touch", -2, 1, Merge.SUM),
            single("dump", 2),
            single("expire", -3),
            single("expireat", -3),
            single("expiretime", 2),
            single("persist", 2),
            single("pexpire", -3),
            single("pexpireat", -3),
            single("pexpiretime", 2),
            single("pttl", 2),
            single("ttl", 2),
            single("type", 2),
            single("restore", -4),
            single("sort", -2),
            single("sort_ro", -2),
            singleAt("object", -3, 2),
            together("copy", -3, 1, 2, 1),
            together("rename", 3, 1, 2, 1),
            together("renamenx", 3, 1, 2, 1),
            refused("keys", Refusal.KEYSPACE),
            refused("scan", Refusal.KEYSPACE),
            refused("randomkey", Refusal.KEYSPACE),
            refused("dbsize", Refusal.KEYSPACE),
            refused("move", Refusal.DATABASE),
            refused("swapdb", Refusal.DATABASE),
            refused("migrate", Refusal.ADMIN),
            refused("wait", Refusal.ADMIN),
            // ---- strings and bitmaps ----
            split("mget", -2, 1, Merge.VALUES),
            split("mset", -3, 2, Merge.ALL_OK),
            together("msetnx", -3, 1, -1, 2),
            single("append", 3),
            single("bitcount", -2),
            single("bitfield", -2),
            single("bitfield_ro", -2),
            single("bitpos", -3),
            together("bitop", -4, 2, -1, 1),
            single("decr", 2),
            single("decrby", 3),
            single("get", 2),
            single("getbit", 3),
            single("getdel", 2),
            single("getex", -2),
            single("getrange", 4),
            single("getset", 3),
            single("incr", 2),
            single("incrby", 3),
            single("incrbyfloat", 3),
            together("lcs", -3, 1, 2, 1),
            single("psetex", 4),
            single("set", -3),
            single("setbit", 4),
            single("setex", 4),
            single("setnx", 3),
            single("setrange", 4),
            single("strlen", 2),
            single("substr", 4),
            // ---- hashes ----
            single("hdel", -3),
            single("hexists", 3),
            single("hget", 3),
            single("hgetall", 2),
            single("hincrby", 4),
            single("hincrbyfloat", 4),
            single("hkeys", 2),
            single("hlen", 2),
            single("hmget", -3),
            single("hmset", -4),
            single("hrandfield", -2),
            single("hscan", -3),
            single("hset", -4),
            single("hsetnx", 4),
            single("hstrlen", 3),
            single("hvals", 2),
            // ---- lists ----
            single("lindex", 3),
            single("linsert", 5),
            single("llen", 2),
            together("lmove", 5, 1, 2, 1),
            numkeys("lmpop", -4, 1, 2),
            single("lpop", -2),
            single("lpos", -3),
            single("lpush", -3),
            single("lpushx", -3),
            single("lrange", 4),
            single("lrem", 4),
            single("lset", 4),
            single("ltrim", 4),
            single("rpop", -2),
            together("rpoplpush", 3, 1, 2, 1),
            single("rpush", -3),
            single("rpushx", -3),
            refused("blpop", Refusal.BLOCKING),
            refused("brpop", Refusal.BLOCKING),
            refused("brpoplpush", Refusal.BLOCKING),
            refused("blmove", Refusal.BLOCKING),
            refused("blmpop", Refusal.BLOCKING),
            // ---- sets ----
            single("sadd", -3),
            single("scard", 2),
            together("sdiff", -2, 1, -1, 1),
            together("sdiffstore", -3, 1, -1, 1),
            together("sinter", -2, 1, -1, 1),
            numkeys("sintercard", -3, 1, 2),
            together("sinterstore", -3, 1, -1, 1),
            single("sismember", 3),
            single("smembers", 2),
            single("smismember", -3),
            together("smove", 4, 1, 2, 1),
            single("spop", -2),
            single("srandmember", -2),
            single("srem", -3),
            single("sscan", -3),
            together("sunion", -2, 1, -1, 1),
            together("sunionstore", -3, 1, -1, 1),
            // ---- sorted sets ----
            single("zadd", -4),
            single("zcard", 2),
            single("zcount", 4),
            numkeys("zdiff", -3, 1, 2),
            destNumkeys("zdiffstore", -4),
            single("zincrby", 4),
            numkeys("zinter", -3, 1, 2),
            numkeys("zintercard", -3, 1, 2),
            destNumkeys("zinterstore", -4),
            single("zlexcount", 4),
            numkeys("zmpop", -4, 1, 2),
            single("zmscore", -3),
            single("zpopmax", -2),
            single("zpopmin", -2),
            single("zrandmember", -2),
            single("zrange", -4),
            single("zrangebylex", -4),
            single("zrangebyscore", -4),
            together("zrangestore", -5, 1, 2, 1),
            single("zrank", -3),
            single("zrem", -3),
            single("zremrangebylex", 4),
            single("zremrangebyrank", 4),
            single("zremrangebyscore", 4),
            single("zrevrange", -4),
            single("zrevrangebylex", -4),
            single("zrevrangebyscore", -4),
            single("zrevrank", -3),
            single("zscan", -3),
            single("zscore", 3),
            numkeys("zunion", -3, 1, 2),
            destNumkeys("zunionstore", -4),
            refused("bzpopmin", Refusal.BLOCKING),
            refused("bzpopmax", Refusal.BLOCKING),
            refused("bzmpop", Refusal.BLOCKING),
            // ---- HyperLogLog ----
            single("pfadd", -2),
            together("pfcount", -2, 1, -1, 1),
            together("pfmerge", -2, 1, -1, 1),
            refused("pfdebug", Refusal.ADMIN),
            refused("pfselftest", Refusal.ADMIN),
            // ---- geo ----
            single("geoadd", -5),
            single("geodist", -4),
            single("geohash", -2),
            single("geopos", -2),
            single("georadius", -6),
            single("georadius_ro", -6),
            single("georadiusbymember", -5),
            single("georadiusbymember_ro", -5),
            single("geosearch", -7),
            together("geosearchstore", -8, 1, 2, 1),
            // ---- streams ----
            single("xack", -4),
            single("xadd", -5),
            single("xautoclaim", -6),
            single("xclaim", -6),
            single("xdel", -3),
            single("xlen", 2),
            single("xpending", -3),
            single("xrange", -4),
            single("xrevrange", -4),
            single("xsetid", -3),
            single("xtrim", -4),
            singleAt("xgroup", -3, 2),
            singleAt("xinfo", -3, 2),
            streams("xread", -4),
            streams("xreadgroup", -7),
            // ---- scripting ----
            numkeys("eval", -3, 2, 3),
            numkeys("evalsha", -3, 2, 3),
            numkeys("eval_ro", -3, 2, 3),
            numkeys("evalsha_ro", -3, 2, 3),
            numkeys("fcall", -3, 2, 3),
            numkeys("fcall_ro", -3, 2, 3),
            refused("script", Refusal.SCRIPT_ADMIN),
            refused("function", Refusal.SCRIPT_ADMIN),
            // ---- transactions ----
            refused("multi", Refusal.TRANSACTION),
            refused("exec", Refusal.TRANSACTION),
            refused("discard", Refusal.TRANSACTION),
            refused("watch", Refusal.TRANSACTION),
            refused("unwatch", Refusal.TRANSACTION),
            // ---- pub/sub ----
            refused("subscribe", Refusal.PUBSUB),
            refused("psubscribe", Refusal.PUBSUB),
            refused("ssubscribe", Refusal.PUBSUB),
            refused("unsubscribe", Refusal.PUBSUB),
            refused("punsubscribe", Refusal.PUBSUB),
            refused("sunsubscribe", Refusal.PUBSUB),
            refused("publish", Refusal.PUBSUB),
            refused("spublish", Refusal.PUBSUB),
            refused("pubsub", Refusal.PUBSUB),
            // ---- connection ----
            local("auth", -2, Local.AUTH),
            local("echo", 2, Local.ECHO),
            local("ping", -1, Local.PING),
            local("quit", -1, Local.QUIT),
            local("select", 2, Local.SELECT),
            local("hello", -1, Local.HELLO),
            local("client", -2, Local.CLIENT),
            refused("reset", Refusal.ADMIN),
            refused("readonly", Refusal.CLUSTER),
            refused("readwrite", Refusal.CLUSTER),
            refused("asking", Refusal.CLUSTER),
            refused("cluster", Refusal.CLUSTER),
            refused("restore-asking", Refusal.CLUSTER),
            // ---- server ----
            anyServer("command", -1),
            anyServer("lolwut", -1),
            refused("acl", Refusal.ADMIN),
            refused("bgrewriteaof", Refusal.ADMIN),
            refused("bgsave", Refusal.ADMIN),
            refused("config", Refusal.ADMIN),
            refused("debug", Refusal.ADMIN),
            refused("failover", Refusal.ADMIN),
            refused("flushall", Refusal.ADMIN),
            refused("flushdb", Refusal.ADMIN),
            refused("info", Refusal.ADMIN),
            refused("lastsave", Refusal.ADMIN),
            refused("latency", Refusal.ADMIN),
            refused("memory", Refusal.ADMIN),
            refused("module", Refusal.ADMIN),
            refused("monitor", Refusal.ADMIN),
            refused("psync", Refusal.ADMIN),
            refused("replconf", Refusal.ADMIN),
            refused("replicaof", Refusal.ADMIN),
            refused("role", Refusal.ADMIN),
            refused("save", Refusal.ADMIN),
            refused("shutdown", Refusal.ADMIN),
            refused("slaveof", Refusal.ADMIN),
            refused("slowlog", Refusal.ADMIN),
            refused("sync", Refusal.ADMIN),
            refused("time", Refusal.ADMIN));

    /** Open addressing on a case-folded FNV-1a hash of the name; a power of two at least 4x the commands. */
    private static final RedisCommand[] TABLE;
    private static final int MASK;

    /** The command names, lowercase, indexed by {@code RedisCommand.id}: the per-command stats' labels. */
    static final List<String> NAMES;

    static {
        for (int i = 0; i < ALL.size(); i++) ALL.get(i).id = i;
        NAMES = ALL.stream().map(c -> c.name.toLowerCase(java.util.Locale.ROOT)).toList();
        int size = Integer.highestOneBit(ALL.size() * 4) * 2;
        TABLE = new RedisCommand[size];
        MASK = size - 1;
        for (RedisCommand command : ALL) {
            int i = hash(command.nameBytes, 0, command.nameBytes.length) & MASK;
            while (TABLE[i] != null) {
                if (TABLE[i].name.equals(command.name)) throw new IllegalStateException("declared twice: " + command);
                i = (i + 1) & MASK;
            }
            TABLE[i] = command;
        }
    }

    /** The command named by {@code length} bytes at {@code offset}, in any case, or null. */
    static RedisCommand lookup(ByteBuf buf, int offset, int length) {
        if (length == 0 || length > 32) return null;
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) {
            h = (h ^ lower(buf.getByte(offset + i))) * 0x01000193;
        }
        for (int i = h & MASK; TABLE[i] != null; i = (i + 1) & MASK) {
            RedisCommand candidate = TABLE[i];
            if (sameName(candidate.nameBytes, buf, offset, length)) return candidate;
        }
        return null;
    }

    static RedisCommand lookup(String name) {
        byte[] bytes = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return lookup(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    /** Every declared command, sorted by name, for docs and tests. */
    static List<RedisCommand> sorted() {
        RedisCommand[] all = ALL.toArray(new RedisCommand[0]);
        Arrays.sort(all, (a, b) -> a.name.compareTo(b.name));
        return Collections.unmodifiableList(Arrays.asList(all));
    }

    private static int hash(byte[] name, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = 0; i < length; i++) h = (h ^ lower(name[offset + i])) * 0x01000193;
        return h;
    }

    private static boolean sameName(byte[] lowerName, ByteBuf buf, int offset, int length) {
        if (lowerName.length != length) return false;
        for (int i = 0; i < length; i++) {
            if (lowerName[i] != lower(buf.getByte(offset + i))) return false;
        }
        return true;
    }

    static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b & 0xff;
    }
}
