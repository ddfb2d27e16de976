package io.shardgate.routing;

import io.shardgate.config.HashKind;
/**
 * CRC-16/XMODEM (polynomial 0x1021, initial 0) as nutcracker computes it: the running value is a 32-bit unsigned
 * that is never masked back to 16 bits, so the result carries the shifted-out high bits too. Those bits matter for
 * modula and ketama placement, so they are kept.
 */
final class Crc16Hash implements KeyHash {
    static final Crc16Hash INSTANCE = new Crc16Hash();
    private static final int[] TABLE = table();

    private Crc16Hash() {}

    private static int[] table() {
        int[] table = new int[256];
        for (int n = 0; n < 256; n++) {
            int crc = n << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            table[n] = crc & 0xffff;
        }
        return table;
    }

    @Override
    public int hash(byte[] bytes, int offset, int length) {
        int crc = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff];
        }
        return crc;
    }

    @Override
    public HashKind kind() {
        return HashKind.CRC16;
    }
}
