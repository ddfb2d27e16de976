package io.shardgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shardgate.config.ListenAddress;
import io.shardgate.config.PoolConfig;
import io.shardgate.config.ServerConfig;
import io.shardgate.protocol.redis.RedisLimits;
import io.shardgate.protocol.redis.RedisProtocol;
import java.util.List;

/** The RESP request decoder: multi-bulk and inline commands, with limits small enough for the fuzzer to reach. */
class RespRequestFuzzTest {
    static final int MAX_BULK = 512;
    static final int MAX_ARGS = 64;
    static final int MAX_INLINE = 256;
    static final int MAX_REQUEST = 2048;
    static final RedisProtocol PROTOCOL = new RedisProtocol(PoolConfig.withDefaults("fuzz",
            ListenAddress.tcp("127.0.0.1", 22121), List.of(new ServerConfig("127.0.0.1", 6379, 1, null))),
            new RedisLimits(MAX_BULK, MAX_ARGS, MAX_INLINE, MAX_REQUEST));
    static final RequestDecoderProperties PROPERTIES = new RequestDecoderProperties(PROTOCOL,
            new RespRequestGrammar(MAX_BULK, MAX_ARGS, MAX_INLINE, MAX_REQUEST));

    @DictionaryFile(resourcePath = "resp-request.dict")
    @FuzzTest
    void respRequests(byte[] input) {
        PROPERTIES.check(input);
    }
}
