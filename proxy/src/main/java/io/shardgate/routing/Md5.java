package io.shardgate.routing;

/**
 * MD5 (RFC 1321) over a byte range, without allocating: the message is padded virtually (bytes past the key are
 * computed, not copied), the state lives in locals and the 64 steps are unrolled. A {@code MessageDigest} would need
 * a per-thread instance, an output array and a reset per call; this keeps the hash pure and stateless.
 */
final class Md5 {
    private Md5() {}

    /**
     * Digests {@code data[offset, offset+length)}. Returns the digest's first four bytes read little-endian, which
     * is nutcracker's {@code hash_md5}; when {@code words} is not null, all four little-endian words of the digest
     * are stored in it (ketama uses each of them as a point).
     */
    static int digest(byte[] data, int offset, int length, int[] words) {
        int paddedLength = ((length + 8) >>> 6 << 6) + 64;
        int h0 = 0x67452301;
        int h1 = 0xefcdab89;
        int h2 = 0x98badcfe;
        int h3 = 0x10325476;
        for (int base = 0; base < paddedLength; base += 64) {
            int x0 = word(data, offset, length, base + 0, paddedLength);
            int x1 = word(data, offset, length, base + 4, paddedLength);
            int x2 = word(data, offset, length, base + 8, paddedLength);
            int x3 = word(data, offset, length, base + 12, paddedLength);
            int x4 = word(data, offset, length, base + 16, paddedLength);
            int x5 = word(data, offset, length, base + 20, paddedLength);
            int x6 = word(data, offset, length, base + 24, paddedLength);
            int x7 = word(data, offset, length, base + 28, paddedLength);
            int x8 = word(data, offset, length, base + 32, paddedLength);
            int x9 = word(data, offset, length, base + 36, paddedLength);
            int x10 = word(data, offset, length, base + 40, paddedLength);
            int x11 = word(data, offset, length, base + 44, paddedLength);
            int x12 = word(data, offset, length, base + 48, paddedLength);
            int x13 = word(data, offset, length, base + 52, paddedLength);
            int x14 = word(data, offset, length, base + 56, paddedLength);
            int x15 = word(data, offset, length, base + 60, paddedLength);
            int a = h0;
            int b = h1;
            int c = h2;
            int d = h3;
            a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0xd76aa478 + x0, 7);
            d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0xe8c7b756 + x1, 12);
            c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0x242070db + x2, 17);
            b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0xc1bdceee + x3, 22);
            a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0xf57c0faf + x4, 7);
            d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0x4787c62a + x5, 12);
            c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0xa8304613 + x6, 17);
            b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0xfd469501 + x7, 22);
            a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0x698098d8 + x8, 7);
            d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0x8b44f7af + x9, 12);
            c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0xffff5bb1 + x10, 17);
            b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0x895cd7be + x11, 22);
            a = b + Integer.rotateLeft(a + ((b & c) | (~b & d)) + 0x6b901122 + x12, 7);
            d = a + Integer.rotateLeft(d + ((a & b) | (~a & c)) + 0xfd987193 + x13, 12);
            c = d + Integer.rotateLeft(c + ((d & a) | (~d & b)) + 0xa679438e + x14, 17);
            b = c + Integer.rotateLeft(b + ((c & d) | (~c & a)) + 0x49b40821 + x15, 22);
            a = b + Integer.rotateLeft(a + ((b & d) | (c & ~d)) + 0xf61e2562 + x1, 5);
            d = a + Integer.rotateLeft(d + ((a & c) | (b & ~c)) + 0xc040b340 + x6, 9);
            c = d + Integer.rotateLeft(c + ((d & b) | (a & ~b)) + 0x265e5a51 + x11, 14);
            b = c + Integer.rotateLeft(b + ((c & a) | (d & ~a)) + 0xe9b6c7aa + x0, 20);
            a = b + Integer.rotateLeft(a + ((b & d) | (c & ~d)) + 0xd62f105d + x5, 5);
            d = a + Integer.rotateLeft(d + ((a & c) | (b & ~c)) + 0x02441453 + x10, 9);
            c = d + Integer.rotateLeft(c + ((d & b) | (a & ~b)) + 0xd8a1e681 + x15, 14);
            b = c + Integer.rotateLeft(b + ((c & a) | (d & ~a)) + 0xe7d3fbc8 + x4, 20);
            a = b + Integer.rotateLeft(a + ((b & d) | (c & ~d)) + 0x21e1cde6 + x9, 5);
            d = a + Integer.rotateLeft(d + ((a & c) | (b & ~c)) + 0xc33707d6 + x14, 9);
            c = d + Integer.rotateLeft(c + ((d & b) | (a & ~b)) + 0xf4d50d87 + x3, 14);
            b = c + Integer.rotateLeft(b + ((c & a) | (d & ~a)) + 0x455a14ed + x8, 20);
            a = b + Integer.rotateLeft(a + ((b & d) | (c & ~d)) + 0xa9e3e905 + x13, 5);
            d = a + Integer.rotateLeft(d + ((a & c) | (b & ~c)) + 0xfcefa3f8 + x2, 9);
            c = d + Integer.rotateLeft(c + ((d & b) | (a & ~b)) + 0x676f02d9 + x7, 14);
            b = c + Integer.rotateLeft(b + ((c & a) | (d & ~a)) + 0x8d2a4c8a + x12, 20);
            a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0xfffa3942 + x5, 4);
            d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0x8771f681 + x8, 11);
            c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0x6d9d6122 + x11, 16);
            b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0xfde5380c + x14, 23);
            a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0xa4beea44 + x1, 4);
            d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0x4bdecfa9 + x4, 11);
            c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0xf6bb4b60 + x7, 16);
            b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0xbebfbc70 + x10, 23);
            a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0x289b7ec6 + x13, 4);
            d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0xeaa127fa + x0, 11);
            c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0xd4ef3085 + x3, 16);
            b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0x04881d05 + x6, 23);
            a = b + Integer.rotateLeft(a + (b ^ c ^ d) + 0xd9d4d039 + x9, 4);
            d = a + Integer.rotateLeft(d + (a ^ b ^ c) + 0xe6db99e5 + x12, 11);
            c = d + Integer.rotateLeft(c + (d ^ a ^ b) + 0x1fa27cf8 + x15, 16);
            b = c + Integer.rotateLeft(b + (c ^ d ^ a) + 0xc4ac5665 + x2, 23);
            a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0xf4292244 + x0, 6);
            d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0x432aff97 + x7, 10);
            c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0xab9423a7 + x14, 15);
            b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0xfc93a039 + x5, 21);
            a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0x655b59c3 + x12, 6);
            d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0x8f0ccc92 + x3, 10);
            c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0xffeff47d + x10, 15);
            b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0x85845dd1 + x1, 21);
            a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0x6fa87e4f + x8, 6);
            d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0xfe2ce6e0 + x15, 10);
            c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0xa3014314 + x6, 15);
            b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0x4e0811a1 + x13, 21);
            a = b + Integer.rotateLeft(a + (c ^ (b | ~d)) + 0xf7537e82 + x4, 6);
            d = a + Integer.rotateLeft(d + (b ^ (a | ~c)) + 0xbd3af235 + x11, 10);
            c = d + Integer.rotateLeft(c + (a ^ (d | ~b)) + 0x2ad7d2bb + x2, 15);
            b = c + Integer.rotateLeft(b + (d ^ (c | ~a)) + 0xeb86d391 + x9, 21);
            h0 += a;
            h1 += b;
            h2 += c;
            h3 += d;
        }
        if (words != null) {
            words[0] = h0;
            words[1] = h1;
            words[2] = h2;
            words[3] = h3;
        }
        return h0;
    }

    /** The little-endian word at {@code pos} of the padded message: key, 0x80, zeros, bit length (64-bit LE). */
    private static int word(byte[] data, int offset, int length, int pos, int paddedLength) {
        if (pos + 4 <= length) return LittleEndian.u32(data, offset + pos);
        int word = 0;
        for (int i = 3; i >= 0; i--) {
            word = (word << 8) | paddedByte(data, offset, length, pos + i, paddedLength);
        }
        return word;
    }

    private static int paddedByte(byte[] data, int offset, int length, int pos, int paddedLength) {
        if (pos < length) return data[offset + pos] & 0xff;
        if (pos == length) return 0x80;
        int lengthField = pos - (paddedLength - 8);
        if (lengthField < 0) return 0;
        long bits = (long) length << 3;
        return (int) (bits >>> (lengthField << 3)) & 0xff;
    }
}
