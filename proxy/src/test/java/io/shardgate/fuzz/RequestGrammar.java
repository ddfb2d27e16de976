package io.shardgate.fuzz;

/**
 * A reference parse of a protocol's request stream, written from the protocol's definition rather than from the
 * decoder, against which a request decoder's output is checked.
 */
interface RequestGrammar {
    /** What the reference makes of the bytes starting at an offset. */
    sealed interface Next permits Forward, OneReply, Ignored, Unknown {}

    /** A request the proxy must forward exactly as sent, {@code length} bytes. */
    record Forward(int length) implements Next {}

    /**
     * A well-formed request of {@code length} bytes that gets exactly one answer: forwarded, or answered by the
     * proxy (the reference does not model which commands the proxy answers itself).
     */
    record OneReply(int length) implements Next {}

    /** Bytes a server skips without answering (an empty line, an empty array). */
    record Ignored(int length) implements Next {}

    /** Not modelled, malformed, or incomplete: the comparison stops here. */
    record Unknown() implements Next {}

    Next next(byte[] in, int from);

    /**
     * Checks a request the proxy sent to a server, {@code sent}, which the protocol dispatched when the first
     * {@code end} bytes of {@code in} had been fed: it must be exactly one request a real server accepts, made
     * of the client's bytes that ended there. Returns null when it is, else what is wrong.
     */
    String checkSent(byte[] in, int end, byte[] sent);

    static boolean endsAt(byte[] in, int end, byte[] bytes) {
        if (bytes.length > end) return false;
        return java.util.Arrays.equals(in, end - bytes.length, end, bytes, 0, bytes.length);
    }
}
