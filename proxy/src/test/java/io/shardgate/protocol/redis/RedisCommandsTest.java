package io.shardgate.protocol.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisCommandsTest {
    @Test
    void lookupIgnoresCase() {
        byte[] name = "xxHmGeTyy".getBytes(StandardCharsets.US_ASCII);
        assertThat(RedisCommands.lookup(Unpooled.wrappedBuffer(name), 2, 5).name).isEqualTo("hmget");
        assertThat(RedisCommands.lookup("GET").kind).isEqualTo(RedisCommand.Kind.SINGLE);
        assertThat(RedisCommands.lookup("nosuch")).isNull();
        assertThat(RedisCommands.lookup("ge")).isNull();
        assertThat(RedisCommands.lookup("")).isNull();
    }

    @Test
    void everyDeclaredCommandIsFound() {
        for (RedisCommand c : RedisCommands.ALL) {
            assertThat(RedisCommands.lookup(c.name.toUpperCase(java.util.Locale.ROOT))).isSameAs(c);
        }
    }

    @Test
    void routingKinds() {
        assertThat(RedisCommands.lookup("mget").merge).isEqualTo(RedisCommand.Merge.VALUES);
        assertThat(RedisCommands.lookup("mset").merge).isEqualTo(RedisCommand.Merge.ALL_OK);
        assertThat(RedisCommands.lookup("mset").keyStep).isEqualTo(2);
        for (String sum : new String[] {"del", "unlink", "exists", "touch"}) {
            assertThat(RedisCommands.lookup(sum).merge).isEqualTo(RedisCommand.Merge.SUM);
        }
        for (String together : new String[] {"eval", "evalsha", "rpoplpush", "smove", "sinterstore", "sunionstore",
                "sdiffstore", "zunionstore", "zinterstore", "rename", "lmove", "pfmerge", "msetnx"}) {
            assertThat(RedisCommands.lookup(together).kind).as(together).isEqualTo(RedisCommand.Kind.TOGETHER);
        }
        for (String refused : new String[] {"keys", "scan", "multi", "exec", "watch", "blpop", "brpop", "subscribe",
                "flushall", "config", "shutdown", "info", "script"}) {
            assertThat(RedisCommands.lookup(refused).kind).as(refused).isEqualTo(RedisCommand.Kind.REFUSED);
        }
    }
}
