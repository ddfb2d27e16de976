package io.shardgate.routing;

import io.shardgate.config.HashKind;
/**
 * Bob Jenkins' lookup3 {@code hashlittle} with initval 13, as nutcracker uses it. nutcracker picks a 32-bit,
 * 16-bit or byte-wise reading path by the key's alignment; on little-endian machines all three give the same value,
 * so the byte-wise form is used for every key. An empty key returns the initial state without mixing.
 */
final class JenkinsHash implements KeyHash {
    static final JenkinsHash INSTANCE = new JenkinsHash();
    private static final int INITVAL = 13;

    private JenkinsHash() {}

    @Override
    public int hash(byte[] k, int offset, int length) {
        int a = 0xdeadbeef + length + INITVAL;
        int b = a;
        int c = a;
        int p = offset;
        int remaining = length;
        while (remaining > 12) {
            a += LittleEndian.u32(k, p);
            b += LittleEndian.u32(k, p + 4);
            c += LittleEndian.u32(k, p + 8);
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            remaining -= 12;
            p += 12;
        }
        if (remaining == 0) return c; // only an empty key gets here: no mixing
        // The last 1..12 bytes, little-endian, into a, b, c (missing bytes count as zero).
        a += tailWord(k, p, remaining);
        if (remaining > 4) b += tailWord(k, p + 4, remaining - 4);
        if (remaining > 8) c += tailWord(k, p + 8, remaining - 8);
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /** Up to four bytes at {@code p} as a little-endian word, {@code available} of them real. */
    private static int tailWord(byte[] k, int p, int available) {
        if (available >= 4) return LittleEndian.u32(k, p);
        int word = 0;
        for (int i = available - 1; i >= 0; i--) {
            word = (word << 8) | (k[p + i] & 0xff);
        }
        return word;
    }

    @Override
    public HashKind kind() {
        return HashKind.JENKINS;
    }
}
