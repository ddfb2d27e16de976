package io.shardgate.protocol.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** The command table against the installed redis-server's own COMMAND output: names, arities, key positions. */
class RedisCommandTableIT {
    /** Where the proxy is deliberately stricter: a subcommand's key is required, ZRANK's WITHSCORE (7.2) allowed. */
    private static final Set<String> OWN_ARITY = Set.of("object", "xgroup", "xinfo", "zrank", "zrevrank");

    record Info(long arity, long firstKey, long lastKey, long step) {}

    @Test
    void forwardedCommandsMatchTheServersTable() {
        Map<String, Info> server = new HashMap<>();
        try (RedisServer redis = RedisServer.start(); Jedis j = new Jedis("127.0.0.1", redis.port())) {
            for (Object entry : (List<?>) j.sendCommand(Protocol.Command.COMMAND)) {
                List<?> e = (List<?>) entry;
                String name = new String((byte[]) e.get(0), StandardCharsets.US_ASCII);
                server.put(name, new Info((Long) e.get(1), (Long) e.get(3), (Long) e.get(4), (Long) e.get(5)));
            }
        }
        for (RedisCommand c : RedisCommands.ALL) {
            Info info = server.get(c.name);
            if (c.kind == RedisCommand.Kind.REFUSED || c.kind == RedisCommand.Kind.LOCAL) continue;
            if (info == null) continue; // newer than the installed server
            if (!OWN_ARITY.contains(c.name)) assertThat(c.arity).as("arity of %s", c.name).isEqualTo(info.arity());
            if ((c.kind == RedisCommand.Kind.SINGLE || c.kind == RedisCommand.Kind.SPLIT) && info.firstKey() > 0) {
                assertThat(c.firstKey).as("first key of %s", c.name).isEqualTo((int) info.firstKey());
                assertThat(c.keyStep).as("key step of %s", c.name).isEqualTo((int) info.step());
            }
            if (c.kind == RedisCommand.Kind.TOGETHER && c.numkeysAt == 0 && !c.streams) {
                assertThat(c.firstKey).as("first key of %s", c.name).isEqualTo((int) info.firstKey());
                assertThat(c.lastKey).as("last key of %s", c.name).isEqualTo((int) info.lastKey());
            }
        }
        // Every command the server has is either in the table or reported here as unknown by design.
        Set<String> known = new java.util.HashSet<>();
        RedisCommands.ALL.forEach(c -> known.add(c.name));
        assertThat(server.keySet()).allSatisfy(name -> assertThat(known).as("in the table").contains(name));
    }
}
