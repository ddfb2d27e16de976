package io.shardgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The memcached request decoder on meta commands ({@code mg ms md ma mn me}): the same decoder and properties as
 * {@link McTextRequestFuzzTest}, with the meta protocol's seeds and dictionary, and so its own corpus.
 */
class MetaRequestFuzzTest {
    @DictionaryFile(resourcePath = "memcache-meta.dict")
    @FuzzTest
    void metaRequests(byte[] input) {
        McTextRequestFuzzTest.PROPERTIES.check(input);
    }
}
