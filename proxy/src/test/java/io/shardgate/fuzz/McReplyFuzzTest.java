package io.shardgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shardgate.config.FailurePolicy;
import io.shardgate.protocol.memcache.MemcacheProtocol;

/** The memcached reply framer (text and meta replies, and the proxy's mn brackets). */
class McReplyFuzzTest {
    static final ReplyFramerProperties PROPERTIES = new ReplyFramerProperties(
            new MemcacheProtocol(1024 * 1024, FailurePolicy.NUTCRACKER), new MemcacheReplyGrammar());

    @DictionaryFile(resourcePath = "memcache-reply.dict")
    @FuzzTest
    void memcacheReplies(byte[] input) {
        PROPERTIES.check(input);
    }
}
