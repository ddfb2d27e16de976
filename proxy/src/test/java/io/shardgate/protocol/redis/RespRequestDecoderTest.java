package io.shardgate.protocol.redis;

import static io.shardgate.protocol.redis.RespHarness.decode;
import static io.shardgate.protocol.redis.RespHarness.everySplit;
import static io.shardgate.protocol.redis.RespHarness.resp;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RespRequestDecoderTest {
    private static final RedisLimits SMALL = new RedisLimits(1024, 64, 256, 4096);
    private static final Supplier<ChannelHandler> DECODER = () -> new RespRequestDecoder(SMALL, null, "9.9");
    private static final Supplier<ChannelHandler> WITH_AUTH =
            () -> new RespRequestDecoder(SMALL, "s3cret".getBytes(StandardCharsets.UTF_8), "9.9");

    @Test
    void singleKeyCommandsAreSlicedAsSent() {
        String set = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nv\r\nal\r\n";
        String get = "*2\r\n$3\r\nget\r\n$3\r\nkey\r\n";
        assertThat(everySplit(DECODER, set + get)).containsExactly(
                "set [key] " + RespHarness.esc(set),
                "get [key] " + RespHarness.esc(get));
    }

    @Test
    void emptyArgumentsAndBinaryValues() {
        String input = "*3\r\n$3\r\nset\r\n$0\r\n\r\n$4\r\n\0\r\n\u00ff\r\n";
        assertThat(everySplit(DECODER, input)).containsExactly("set [] " + RespHarness.esc(input));
    }

    @Test
    void emptyAndNullArraysAreIgnoredLikeRedis() {
        assertThat(everySplit(DECODER, "*0\r\n*-1\r\n" + resp("PING"))).containsExactly("reply +PONG\\r\\n");
    }

    @Test
    void inlineCommandsAreRebuiltAsResp() {
        assertThat(everySplit(DECODER, "get  foo\r\nset k \"a b\\r\\x41\" \r\nset x 'it\\'s'\n")).containsExactly(
                "get [foo] " + RespHarness.esc(resp("get", "foo")),
                "set [k] " + RespHarness.esc(resp("set", "k", "a b\rA")),
                "set [x] " + RespHarness.esc(resp("set", "x", "it's")));
    }

    @Test
    void unbalancedQuotesCloseTheClient() {
        assertThat(everySplit(DECODER, "set k \"abc\r\nping\r\n")).containsExactly(
                "reply -ERR Protocol error: unbalanced quotes in request\\r\\n +PROTOCOL_ERROR");
    }

    @Test
    void multiKeyCommandsListTheirKeys() {
        assertThat(everySplit(DECODER, resp("MGET", "a", "b", "a") + resp("mset", "k1", "v1", "k2", "v2")
                + resp("del", "x") + resp("EXISTS", "p", "q"))).extracting(s -> s.substring(0, s.indexOf(']') + 1))
                .containsExactly("mget [a,b,a]", "mset [k1,k2]", "del [x]", "exists [p,q]");
    }

    @Test
    void keysOfCommandsThatKeepThemTogether() {
        assertThat(decode(DECODER, resp("eval", "return 1", "2", "k1", "k2", "arg")
                + resp("zunionstore", "dst", "2", "a", "b", "WEIGHTS", "1", "2")
                + resp("rename", "a", "b") + resp("sinterstore", "d", "s1", "s2")
                + resp("xreadgroup", "GROUP", "g", "c", "COUNT", "5", "STREAMS", "s1", "s2", ">", ">")
                + resp("bitop", "and", "d", "x", "y") + resp("msetnx", "a", "1", "b", "2")
                + resp("object", "encoding", "k") + resp("zdiff", "2", "a", "b", "withscores")))
                .extracting(s -> s.substring(0, s.indexOf(']') + 1))
                .containsExactly("eval [k1,k2]", "zunionstore [dst,a,b]", "rename [a,b]", "sinterstore [d,s1,s2]",
                        "xreadgroup [s1,s2]", "bitop [d,x,y]", "msetnx [a,b]", "object [k]", "zdiff [a,b]");
    }

    @Test
    void keyCountErrors() {
        assertThat(decode(DECODER, resp("eval", "s", "3", "k1") + resp("eval", "s", "x") + resp("eval", "s", "0")
                + resp("xread", "streams", "a", "b", "c")
                + resp("xread", "block", "0", "streams", "a", "$"))).containsExactly(
                "reply -ERR Number of keys can't be greater than number of args\\r\\n",
                "reply -ERR value is not an integer or out of range\\r\\n",
                "reply -ERR 'eval' without keys is not supported by shardgate: a request is routed by its keys\\r\\n",
                "reply -ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.\\r\\n",
                "reply -ERR 'xread' with BLOCK is not supported by shardgate: blocking commands would hold a server "
                        + "connection shared with other clients\\r\\n");
    }

    @Test
    void localCommands() {
        assertThat(everySplit(DECODER, resp("PING") + resp("ping", "hi") + resp("echo", "e\r\n")
                + resp("select", "0") + resp("select", "1") + resp("select", "x") + resp("auth", "pw")
                + resp("client", "setname", "n") + resp("client", "list") + resp("quit") + resp("get", "k")))
                .containsExactly(
                        "reply +PONG\\r\\n",
                        "reply $2\\r\\nhi\\r\\n",
                        "reply $3\\r\\ne\\r\\n\\r\\n",
                        "reply +OK\\r\\n",
                        "reply -ERR SELECT 1 is not supported by shardgate: the database is chosen by the proxy "
                                + "(redis_db); clients only see database 0\\r\\n",
                        "reply -ERR value is not an integer or out of range\\r\\n",
                        "reply -ERR Client sent AUTH, but no password is set\\r\\n",
                        "reply +OK\\r\\n",
                        "reply -ERR 'client list' is not supported by shardgate: server administration commands "
                                + "must be sent to each server directly\\r\\n",
                        "reply +OK\\r\\n +CLOSE");
    }

    @Test
    void helloSpeaksResp2Only() {
        List<String> out = decode(DECODER, resp("hello", "3") + resp("hello", "2") + resp("hello", "x"));
        assertThat(out.get(0)).isEqualTo(
                "reply -NOPROTO sorry, this protocol version is not supported: shardgate speaks RESP2 only\\r\\n");
        assertThat(out.get(1)).startsWith("reply *14\\r\\n$6\\r\\nserver\\r\\n$5\\r\\nredis\\r\\n$7\\r\\nversion\\r\\n$3\\r\\n9.9");
        assertThat(out.get(2)).isEqualTo("reply -ERR Protocol version is not an integer or out of range\\r\\n");
    }

    @Test
    void unknownRefusedAndWrongArity() {
        assertThat(everySplit(DECODER, resp("foo", "a", "b") + resp("keys", "*") + resp("get") + resp("get", "a", "b")
                + resp("multi") + resp("blpop", "l", "0") + resp("flushall") + resp("get", "k"))).containsExactly(
                "reply -ERR unknown command 'foo', with args beginning with: 'a' 'b' \\r\\n",
                "reply -ERR 'keys' is not supported by shardgate: it needs the keyspace of every server\\r\\n",
                "reply -ERR wrong number of arguments for 'get' command\\r\\n",
                "reply -ERR wrong number of arguments for 'get' command\\r\\n",
                "reply -ERR 'multi' is not supported by shardgate: transactions cannot span the servers of a pool\\r\\n",
                "reply -ERR 'blpop' is not supported by shardgate: blocking commands would hold a server connection "
                        + "shared with other clients\\r\\n",
                "reply -ERR 'flushall' is not supported by shardgate: server administration commands must be sent to "
                        + "each server directly\\r\\n",
                "get [k] " + RespHarness.esc(resp("get", "k")));
    }

    @Test
    void authIsRequiredFirst() {
        assertThat(everySplit(WITH_AUTH, resp("get", "k") + resp("ping") + resp("auth", "wrong") + resp("get", "k")
                + resp("AUTH", "s3cret") + resp("get", "k") + resp("auth", "default", "s3cret") + resp("auth", "bob", "s3cret")
                + resp("ping"))).containsExactly(
                "reply -NOAUTH Authentication required.\\r\\n",
                "reply -NOAUTH Authentication required.\\r\\n",
                "reply -WRONGPASS invalid username-password pair or user is disabled.\\r\\n",
                "reply -NOAUTH Authentication required.\\r\\n",
                "reply +OK\\r\\n",
                "get [k] " + RespHarness.esc(resp("get", "k")),
                "reply +OK\\r\\n",
                "reply -WRONGPASS invalid username-password pair or user is disabled.\\r\\n",
                "reply -NOAUTH Authentication required.\\r\\n");
    }

    @Test
    void helloCanAuthenticate() {
        List<String> out = decode(WITH_AUTH, resp("hello", "2") + resp("hello", "2", "auth", "default", "s3cret")
                + resp("ping"));
        assertThat(out.get(0)).isEqualTo("reply -NOAUTH Authentication required.\\r\\n");
        assertThat(out.get(1)).startsWith("reply *14");
        assertThat(out.get(2)).isEqualTo("reply +PONG\\r\\n");
    }

    @Test
    void badFramingClosesTheClient() {
        assertThat(everySplit(DECODER, "*2\r\n$3\r\nget\r\n+k\r\n")).containsExactly(
                "reply -ERR Protocol error: expected '$', got '+'\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*-2\r\n" + resp("PING"))).containsExactly(
                "reply -ERR Protocol error: invalid multibulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "\r\n" + resp("PING"))).containsExactly(
                "reply -ERR Protocol error: empty request line\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "\n" + resp("PING"))).containsExactly(
                "reply -ERR Protocol error: empty request line\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*3\r\n*abcde\r\n")).containsExactly(
                "reply -ERR Protocol error: expected '$', got '*'\\r\\n +PROTOCOL_ERROR");
        // MSET's arguments come in pairs: an odd count is out of step, as nutcracker treats it
        assertThat(everySplit(DECODER, resp("MSET", "A", "A", "A") + resp("PING"))).containsExactly(
                "reply -ERR Protocol error: wrong number of arguments for 'mset' command\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, resp("MSETNX", "A") + resp("PING"))).containsExactly(
                "reply -ERR Protocol error: wrong number of arguments for 'msetnx' command\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*x\r\n")).containsExactly(
                "reply -ERR Protocol error: invalid multibulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*65\r\n")).containsExactly(
                "reply -ERR Protocol error: invalid multibulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*1\r\n$-1\r\n")).containsExactly(
                "reply -ERR Protocol error: invalid bulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*1\r\n$3\r\nabcde\r\n")).containsExactly(
                "reply -ERR Protocol error: bulk data not followed by CRLF\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, "*1\n$4\r\nping\r\n")).containsExactly(
                "reply -ERR Protocol error: invalid multibulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(everySplit(DECODER, resp("ping") + "*1\r\n$1025\r\n")).containsExactly(
                "reply +PONG\\r\\n", "reply -ERR Protocol error: invalid bulk length\\r\\n +PROTOCOL_ERROR");
    }

    @Test
    void hugeDeclaredLengthsAllocateNothing() {
        Supplier<ChannelHandler> defaults = () -> new RespRequestDecoder(RedisLimits.defaults(), null, "x");
        assertThat(decode(defaults, "*1\r\n$2147483647\r\nabc")).containsExactly(
                "reply -ERR Protocol error: invalid bulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(decode(defaults, "*99999999999\r\n")).containsExactly(
                "reply -ERR Protocol error: invalid multibulk length\\r\\n +PROTOCOL_ERROR");
        assertThat(decode(defaults, "*1\r\n$99999999999999999999999\r\n")).containsExactly(
                "reply -ERR Protocol error: invalid bulk length\\r\\n +PROTOCOL_ERROR");
        // A request within the limits but not all there yet is waited for, not allocated.
        assertThat(decode(defaults, "*1\r\n$67108864\r\nabc")).isEmpty();
    }

    @Test
    void requestsLargerThanTheLimitAreRefused() {
        StringBuilder sb = new StringBuilder("*5\r\n");
        for (int i = 0; i < 5; i++) sb.append("$1000\r\n").append("x".repeat(1000)).append("\r\n");
        assertThat(decode(DECODER, sb.toString())).containsExactly(
                "reply -ERR Protocol error: request larger than 4096 bytes\\r\\n +PROTOCOL_ERROR");
    }

    @Test
    void tooLongInlineLinesCloseTheClient() {
        assertThat(decode(DECODER, "get " + "k".repeat(300))).containsExactly(
                "reply -ERR Protocol error: too big inline request\\r\\n +PROTOCOL_ERROR");
    }

    @Test
    void garbageIsReadAsAnInlineCommand() {
        assertThat(everySplit(DECODER, "\u0001\u0002 x\r\n" + resp("ping"))).containsExactly(
                "reply -ERR unknown command '\u0001\u0002', with args beginning with: 'x' \\r\\n",
                "reply +PONG\\r\\n");
    }
}
