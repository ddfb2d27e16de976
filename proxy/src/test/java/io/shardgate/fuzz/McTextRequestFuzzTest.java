package io.shardgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.shardgate.config.FailurePolicy;
import io.shardgate.protocol.memcache.MemcacheProtocol;

/** The memcached request decoder on text commands (seeds and dictionary of the text protocol). */
class McTextRequestFuzzTest {
    /** Small, so the fuzzer reaches the value-size limit. */
    static final int MAX_VALUE_BYTES = 1024;
    static final RequestDecoderProperties PROPERTIES = new RequestDecoderProperties(
            new MemcacheProtocol(MAX_VALUE_BYTES, FailurePolicy.NUTCRACKER),
            new MemcacheRequestGrammar(MAX_VALUE_BYTES));

    @DictionaryFile(resourcePath = "memcache-text.dict")
    @FuzzTest
    void textRequests(byte[] input) {
        PROPERTIES.check(input);
    }
}
