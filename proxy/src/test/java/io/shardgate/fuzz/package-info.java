/**
 * Coverage-guided fuzz targets (Jazzer) for every parser the proxy exposes to bytes it does not control: the
 * memcached text and meta request decoder, the memcached reply framer, the RESP request decoder (multi-bulk and
 * inline), the RESP reply framer, and the YAML config loader.
 *
 * <p>The targets drive the codecs only through their stable entry points ({@code ProxyProtocol.newRequestDecoder},
 * {@code newReplyFramer(PendingReplies.NONE)}, {@code dispatch}) on an {@code EmbeddedChannel}, and the loader
 * through {@code ConfigLoader.load}, so a refactor of the codecs' insides does not break them. Each input is fed
 * whole, one byte at a time and split at many points ({@link Feeds}); every feeding must give the same events.
 * What a decoder forwards is checked against a reference grammar written here, independently of the decoders
 * ({@link MemcacheRequestGrammar}, {@link RespRequestGrammar}), in both directions: every forwarded request is
 * exactly one request a real server accepts, and a stream of requests the grammar calls valid is forwarded
 * request by request, byte for byte. Reply framers are held to the same with {@link MemcacheReplyGrammar} and
 * {@link RespReplyGrammar}. After every input, every buffer allocated for it must be released
 * ({@link LiveBuffers}) and Netty's leak detector (at PARANOID) must have reported nothing.
 *
 * <p>{@code mvn verify} fuzzes each target for a few seconds (the {@code fuzz} surefire execution, one JVM per
 * target); {@code scripts/fuzz.sh} runs them long. Seeds live in {@code src/test/resources/io/shardgate/fuzz/
 * <Target>Inputs/<method>/}; inputs that once failed are named regression tests in {@link FuzzFindingsTest}.
 */
package io.shardgate.fuzz;
