package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The arguments of one framed request as offsets into its bytes. One view per connection, pointed at each
 * request in turn, so validating a request allocates nothing.
 */
final class RespArgs {
    private ByteBuf buf;
    /** Offset and length of each argument, two ints per argument, absolute in {@link #buf}. */
    private int[] spans;
    private int count;

    /** Points the view at a request: {@code count} arguments whose spans are in {@code spans}. */
    RespArgs of(ByteBuf buf, int[] spans, int count) {
        this.buf = buf;
        this.spans = spans;
        this.count = count;
        return this;
    }

    ByteBuf buf() {
        return buf;
    }

    int count() {
        return count;
    }

    /** The spans, for a request that keeps a copy of them. */
    int[] spans() {
        return spans;
    }

    int offset(int i) {
        return spans[2 * i];
    }

    int length(int i) {
        return spans[2 * i + 1];
    }

    /** Whether argument {@code i} is {@code word} (lower case), ignoring case as redis does. */
    boolean is(int i, String word) {
        if (length(i) != word.length()) return false;
        int off = offset(i);
        for (int k = 0; k < word.length(); k++) {
            if (RedisCommands.lower(buf.getByte(off + k)) != word.charAt(k)) return false;
        }
        return true;
    }

    /** Argument {@code i} as a number, or {@link Long#MIN_VALUE} when it is not one. */
    long number(int i) {
        return RespReplies.parseLong(buf, offset(i), offset(i) + length(i));
    }

    /** At most {@code max} bytes of argument {@code i}, for an error message. */
    String text(int i, int max) {
        return buf.toString(offset(i), Math.min(length(i), Math.max(0, max)), StandardCharsets.ISO_8859_1);
    }
}
