package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The value stored under each key, derived from the key index and a version, so a reply can be verified without a
 * map of what was written. A value is a 13-byte header ({@code 8 hex digits of the key index, 4 hex digits of the
 * version, ':'}) followed by a window of a shared pseudo-random printable pattern that starts at an offset derived
 * from the key and version. A value from another key, another version, or a shifted or truncated copy does not
 * match. Values shorter than 13 bytes are the header's first bytes.
 */
public final class ValueSpec {
    public static final int HEADER_LENGTH = 13;
    private static final int OFFSET_RANGE = 1024; // a power of two
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int size;
    private final int version;
    /** Read-only shared pattern; every value's tail is a window of it. */
    private final ByteBuf pattern;
    /** The same bytes, for {@link ByteBuffer#mismatch}, which the JDK vectorizes. */
    private final ByteBuffer patternNio;

    public ValueSpec(int size, int version) {
        if (size <= 0) throw new IllegalArgumentException("value size must be positive: " + size);
        if (size > 64 * 1024 * 1024) throw new IllegalArgumentException("value size too large: " + size);
        if (version < 0 || version > 0xffff) throw new IllegalArgumentException("version must be in [0, 65535]");
        this.size = size;
        this.version = version;
        int tail = Math.max(0, size - HEADER_LENGTH);
        byte[] bytes = new byte[tail + OFFSET_RANGE];
        SplittableRandom random = new SplittableRandom(0x5ead_9a7eL);
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) ('!' + random.nextInt(94)); // '!'..'~'
        // a heap buffer: nothing to release, and comparisons against it still go a long at a time
        this.pattern = Unpooled.wrappedBuffer(bytes).asReadOnly();
        this.patternNio = ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    public int size() {
        return size;
    }

    public int version() {
        return version;
    }

    int patternOffset(int key) {
        return patternOffset(key, version);
    }

    int patternOffset(int key, int version) {
        long z = (key & 0xffffffffL) * 0x9E3779B97F4A7C15L + version * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        z ^= z >>> 29;
        return (int) (z & (OFFSET_RANGE - 1));
    }

    /** Writes the header of {@code key}'s value into {@code dst[0, 13)}. */
    public void header(int key, byte[] dst) {
        header(key, version, dst);
    }

    /** Writes the header of version {@code version} of {@code key}'s value into {@code dst[0, 13)}. */
    public static void header(int key, int version, byte[] dst) {
        for (int i = 0; i < 8; i++) dst[i] = HEX[(key >>> (28 - 4 * i)) & 0xf];
        for (int i = 0; i < 4; i++) dst[8 + i] = HEX[(version >>> (12 - 4 * i)) & 0xf];
        dst[12] = ':';
    }

    /** Appends {@code key}'s value to {@code out}; {@code scratch} is a 13-byte work array. */
    public void writeValue(int key, ByteBuf out, byte[] scratch) {
        writeValue(key, version, out, scratch);
    }

    /** Appends version {@code version} (0..65535) of {@code key}'s value to {@code out}. */
    public void writeValue(int key, int version, ByteBuf out, byte[] scratch) {
        header(key, version, scratch);
        out.writeBytes(scratch, 0, Math.min(HEADER_LENGTH, size));
        if (size > HEADER_LENGTH) out.writeBytes(pattern, patternOffset(key, version), size - HEADER_LENGTH);
    }

    /**
     * Parses a value header in {@code header[0, 13)}: the key index in the high 32 bits and the version in the low
     * 16, or -1 when the bytes are not a header.
     */
    public static long parseHeader(byte[] header) {
        if (header[12] != ':') return -1;
        long key = 0;
        int version = 0;
        for (int i = 0; i < 12; i++) {
            int d = Character.digit(header[i], 16);
            if (d < 0 || (header[i] >= 'A' && header[i] <= 'F')) return -1;
            if (i < 8) key = key << 4 | d;
            else version = version << 4 | d;
        }
        return key << 32 | version;
    }

    /**
     * True when {@code buf[index, index + length)} equals bytes {@code [position, position + length)} of {@code key}'s
     * value; {@code header} must hold {@link #header(int, byte[])} of the key. Lets a value be checked piece by piece
     * as it arrives.
     */
    public boolean matches(int key, byte[] header, int position, ByteBuf buf, int index, int length) {
        return matches(key, version, header, position, buf, index, length);
    }

    /** As {@link #matches(int, byte[], int, ByteBuf, int, int)} for version {@code version} of the value. */
    public boolean matches(int key, int version, byte[] header, int position, ByteBuf buf, int index, int length) {
        if (position < 0 || length < 0 || position + length > size) return false;
        while (length > 0 && position < HEADER_LENGTH) {
            if (buf.getByte(index) != header[position]) return false;
            index++;
            position++;
            length--;
        }
        if (length == 0) return true;
        int from = patternOffset(key, version) + position - HEADER_LENGTH;
        if (length >= 256 && buf.nioBufferCount() == 1) {
            // large values: a vectorized compare keeps the generator from becoming the bottleneck
            return buf.nioBuffer(index, length).mismatch(patternNio.slice(from, length)) < 0;
        }
        return ByteBufUtil.equals(buf, index, pattern, from, length);
    }

    /** The whole value, for tests and diagnostics. */
    public byte[] valueOf(int key) {
        ByteBuf out = Unpooled.buffer(size);
        writeValue(key, out, new byte[HEADER_LENGTH]);
        byte[] bytes = new byte[size];
        out.readBytes(bytes);
        return bytes;
    }
}
