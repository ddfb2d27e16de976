package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;

/**
 * Decodes a meta command's base64 key ({@code b} flag) the way memcached does, so that the proxy hashes exactly
 * the bytes memcached will store: a key lands on the same server whether it is sent plain or in base64.
 * memcached's decoder is lenient in its own way: bytes outside the alphabet are skipped, the count of alphabet
 * bytes ({@code =} included) must be a non-zero multiple of four, and decoding stops after the first group that
 * holds padding (more than two {@code =} in it is an error).
 */
final class Base64Key {
    private static final int SKIP = -1;
    private static final int[] VALUE = new int[256];

    static {
        java.util.Arrays.fill(VALUE, SKIP);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) VALUE[alphabet.charAt(i)] = i;
        VALUE['='] = 0;
    }

    private Base64Key() {}

    /** The decoded key, or null where memcached's decoder fails ("error decoding key"). */
    static byte[] decode(ByteBuf buf, int start, int end) {
        int count = 0;
        for (int i = start; i < end; i++) {
            if (VALUE[buf.getByte(i) & 0xff] != SKIP) count++;
        }
        if (count == 0 || count % 4 != 0) return null;
        byte[] out = new byte[count / 4 * 3];
        int pos = 0;
        int inGroup = 0;
        int group = 0;
        int pad = 0;
        for (int i = start; i < end; i++) {
            int b = buf.getByte(i) & 0xff;
            int v = VALUE[b];
            if (v == SKIP) continue;
            if (b == '=') pad++;
            group = (group << 6) | v;
            if (++inGroup < 4) continue;
            out[pos++] = (byte) (group >> 16);
            out[pos++] = (byte) (group >> 8);
            out[pos++] = (byte) group;
            inGroup = 0;
            group = 0;
            if (pad > 0) {
                if (pad > 2) return null;
                pos -= pad;
                break;
            }
        }
        if (pos == 0) return null;
        return pos == out.length ? out : java.util.Arrays.copyOf(out, pos);
    }
}
