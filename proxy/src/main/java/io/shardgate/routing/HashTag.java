package io.shardgate.routing;

import io.netty.buffer.ByteBuf;

/**
 * A pool's {@code hash_tag}: two characters, e.g. {@code "{}"}. As nutcracker does: find the first opening
 * character, then the first closing character after it; when both exist and something lies between them, only that
 * part is hashed, otherwise the whole key is. Results are packed as {@code (start << 32) | length} so that finding
 * the span allocates nothing.
 */
public final class HashTag {
    private final byte open;
    private final byte close;

    private HashTag(byte open, byte close) {
        this.open = open;
        this.close = close;
    }

    /**
     * @param tag exactly two characters, each a single byte (nutcracker compares bytes)
     * @throws IllegalArgumentException otherwise
     */
    public static HashTag of(String tag) {
        if (tag == null || tag.length() != 2 || tag.charAt(0) > 0xff || tag.charAt(1) > 0xff) {
            throw new IllegalArgumentException("hash_tag must be two single-byte characters, got '" + tag + "'");
        }
        return new HashTag((byte) tag.charAt(0), (byte) tag.charAt(1));
    }

    /** The span of {@code bytes[offset, offset+length)} to hash, packed; see {@link #start} and {@link #length}. */
    public long span(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] != open) continue;
            for (int j = i + 1; j < end; j++) {
                if (bytes[j] == close) {
                    return j - i > 1 ? pack(i + 1, j - i - 1) : pack(offset, length);
                }
            }
            break; // only the first opening character counts
        }
        return pack(offset, length);
    }

    /** As {@link #span(byte[], int, int)} for {@code buf}'s absolute indexes {@code [index, index+length)}. */
    public long span(ByteBuf buf, int index, int length) {
        int end = index + length;
        int openAt = buf.indexOf(index, end, open);
        if (openAt >= 0) {
            int closeAt = buf.indexOf(openAt + 1, end, close);
            if (closeAt - openAt > 1) return pack(openAt + 1, closeAt - openAt - 1);
        }
        return pack(index, length);
    }

    static long pack(int start, int length) {
        return ((long) start << 32) | (length & 0xffffffffL);
    }

    public static int start(long span) {
        return (int) (span >>> 32);
    }

    public static int length(long span) {
        return (int) span;
    }

    @Override
    public String toString() {
        return "" + (char) (open & 0xff) + (char) (close & 0xff);
    }
}
