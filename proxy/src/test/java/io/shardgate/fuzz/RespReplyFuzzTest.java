package io.shardgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The RESP reply framer: every reply type, nested arrays, bulk strings holding anything. */
class RespReplyFuzzTest {
    static final ReplyFramerProperties PROPERTIES =
            new ReplyFramerProperties(RespRequestFuzzTest.PROTOCOL, new RespReplyGrammar());

    @DictionaryFile(resourcePath = "resp-reply.dict")
    @FuzzTest
    void respReplies(byte[] input) {
        PROPERTIES.check(input);
    }
}
