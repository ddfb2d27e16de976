package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The keys a run uses: {@code prefix + decimal index} for index in {@code [0, size)}. Key bytes are built once, so
 * encoding a request copies bytes and allocates nothing; a key in a reply is mapped back to its index by parsing,
 * without building a String.
 */
public final class KeySpace {
    /** memcached refuses keys longer than this. */
    public static final int MAX_KEY_LENGTH = 250;

    private final byte[] prefix;
    private final int size;
    private final byte[][] keys;

    public KeySpace(String prefix, int size) {
        if (size <= 0) throw new IllegalArgumentException("key space size must be positive: " + size);
        this.prefix = prefix.getBytes(StandardCharsets.US_ASCII);
        for (byte b : this.prefix) {
            if (b <= ' ' || b >= 0x7f) {
                throw new IllegalArgumentException("key prefix must be printable ASCII without spaces: '" + prefix + "'");
            }
        }
        if (this.prefix.length + 10 > MAX_KEY_LENGTH) throw new IllegalArgumentException("key prefix too long");
        if (!prefix.equals(new String(this.prefix, StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("key prefix must be ASCII: '" + prefix + "'");
        }
        this.size = size;
        this.keys = new byte[size][];
        for (int i = 0; i < size; i++) {
            byte[] digits = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
            byte[] key = new byte[this.prefix.length + digits.length];
            System.arraycopy(this.prefix, 0, key, 0, this.prefix.length);
            System.arraycopy(digits, 0, key, this.prefix.length, digits.length);
            keys[i] = key;
        }
    }

    public int size() {
        return size;
    }

    /** The key's bytes; shared, never modify. */
    public byte[] key(int index) {
        return keys[index];
    }

    public String keyString(int index) {
        return new String(keys[index], StandardCharsets.US_ASCII);
    }

    /** The index of the key in {@code buf[from, from + length)}, or -1 when it is not a key of this space. */
    public int indexOf(ByteBuf buf, int from, int length) {
        int digits = length - prefix.length;
        if (digits <= 0 || digits > 10) return -1;
        for (int i = 0; i < prefix.length; i++) {
            if (buf.getByte(from + i) != prefix[i]) return -1;
        }
        int start = from + prefix.length;
        if (digits > 1 && buf.getByte(start) == '0') return -1; // keys never have leading zeros
        long value = 0;
        for (int i = 0; i < digits; i++) {
            int d = buf.getByte(start + i) - '0';
            if (d < 0 || d > 9) return -1;
            value = value * 10 + d;
        }
        return value < size ? (int) value : -1;
    }
}
