package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Encodes requests in RESP2: a 1-key get as {@code GET k}, a multi-key get as {@code MGET k1 k2 ...}, a set as
 * {@code SET k v}, each as an array of bulk strings (what redis clients send).
 */
public final class RedisProtocol implements WireProtocol {
    private static final byte[] GET = ascii("$3\r\nGET\r\n");
    private static final byte[] MGET = ascii("$4\r\nMGET\r\n");
    private static final byte[] SET = ascii("*3\r\n$3\r\nSET\r\n");
    private static final short CRLF = ('\r' << 8) | '\n';

    private final KeySpace keys;
    private final ValueSpec values;
    private final boolean allowMisses;
    private final Supplier<ValueCheck> checks;
    /** {@code $<size>\r\n}, the bulk header of every value. */
    private final byte[] valueHeader;

    public RedisProtocol(KeySpace keys, ValueSpec values, boolean allowMisses) {
        this(keys, values, allowMisses, () -> ValueCheck.fixed(values));
    }

    /** @param checks a value checker for each connection's parser */
    public RedisProtocol(KeySpace keys, ValueSpec values, boolean allowMisses, Supplier<ValueCheck> checks) {
        this.keys = keys;
        this.values = values;
        this.allowMisses = allowMisses;
        this.checks = checks;
        this.valueHeader = ascii("$" + values.size() + "\r\n");
    }

    @Override
    public int encodedSizeHint(Request r) {
        int perKey = 1 + 3 + 2 + KeySpace.MAX_KEY_LENGTH + 2;
        if (r.kind == Request.SET) return SET.length + perKey + valueHeader.length + values.size() + 2;
        return 1 + 6 + 2 + MGET.length + r.keyCount * perKey;
    }

    @Override
    public void encode(Request r, ByteBuf out, byte[] scratch) {
        if (r.kind == Request.SET) {
            int key = r.keys[0];
            out.writeBytes(SET);
            bulk(out, keys.key(key));
            out.writeBytes(valueHeader);
            values.writeValue(key, r.version == Request.SPEC_VERSION ? values.version() : r.version, out, scratch);
            out.writeShort(CRLF);
        } else {
            out.writeByte('*');
            decimal(out, r.keyCount + 1);
            out.writeShort(CRLF);
            out.writeBytes(r.keyCount == 1 ? GET : MGET);
            for (int i = 0; i < r.keyCount; i++) bulk(out, keys.key(r.keys[i]));
        }
    }

    private static void bulk(ByteBuf out, byte[] bytes) {
        out.writeByte('$');
        decimal(out, bytes.length);
        out.writeShort(CRLF);
        out.writeBytes(bytes);
        out.writeShort(CRLF);
    }

    /** Writes a non-negative int in decimal without building a String. */
    static void decimal(ByteBuf out, int n) {
        if (n < 10) {
            out.writeByte('0' + n);
            return;
        }
        int div = 1;
        while (n / div >= 10) div *= 10;
        for (; div > 0; div /= 10) out.writeByte('0' + (n / div) % 10);
    }

    @Override
    public ReplyParser newParser(ReplyParser.Listener listener) {
        return new RespReplyParser(checks.get(), listener, allowMisses);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
