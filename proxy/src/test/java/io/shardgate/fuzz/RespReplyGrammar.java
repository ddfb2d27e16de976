package io.shardgate.fuzz;

/**
 * RESP2 replies as redis writes them: {@code +} status and {@code -} error lines without CR or LF in them,
 * {@code :} integers, {@code $} bulk strings of a declared length (or {@code $-1}), {@code *} arrays of that many
 * replies (or {@code *-1}), nested to any depth; every line ends in CRLF.
 */
final class RespReplyGrammar implements ReplyGrammar {
    @Override
    public int next(byte[] in, int from) {
        int end = element(in, from);
        return end < 0 ? -1 : end - from;
    }

    /** Where the reply at {@code pos} ends, or -1. */
    private static int element(byte[] in, int pos) {
        if (pos >= in.length) return -1;
        int cr = ReplyGrammar.lineEnd(in, pos);
        if (cr < 0 || cr == pos) return -1;
        int after = cr + 2;
        switch (in[pos]) {
            case '+', '-' -> {
                return after;
            }
            case ':' -> {
                return RespRequestGrammar.redisInteger(in, pos + 1, cr) != null ? after : -1;
            }
            case '$' -> {
                Long n = RespRequestGrammar.redisInteger(in, pos + 1, cr);
                if (n == null || n < -1) return -1;
                if (n == -1) return after;
                long end = after + n + 2;
                if (end > in.length || in[(int) end - 2] != '\r' || in[(int) end - 1] != '\n') return -1;
                return (int) end;
            }
            case '*' -> {
                Long n = RespRequestGrammar.redisInteger(in, pos + 1, cr);
                if (n == null || n < -1) return -1;
                int p = after;
                for (long i = 0; i < n; i++) {
                    p = element(in, p);
                    if (p < 0) return -1;
                }
                return p;
            }
            default -> {
                return -1;
            }
        }
    }
}
