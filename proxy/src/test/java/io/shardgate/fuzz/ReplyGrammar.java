package io.shardgate.fuzz;

/** A reference parse of a server's reply stream, written from the protocol's definition rather than the framer. */
interface ReplyGrammar {
    /** The length of the complete, valid reply starting at {@code from}, or -1 (invalid, or not all there). */
    int next(byte[] in, int from);

    /** The CRLF-terminated line at {@code pos}: the index of its CR, or -1 if none or it holds a lone CR or LF. */
    static int lineEnd(byte[] in, int pos) {
        for (int i = pos; i < in.length; i++) {
            if (in[i] == '\n') return -1;
            if (in[i] == '\r') return i + 1 < in.length && in[i + 1] == '\n' ? i : -1;
        }
        return -1;
    }
}
