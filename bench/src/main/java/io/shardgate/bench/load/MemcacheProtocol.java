package io.shardgate.bench.load;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Encodes requests in the memcached text protocol: {@code get k1 k2 ...} and {@code set k 0 0 len}. */
public final class MemcacheProtocol implements WireProtocol {
    private static final byte[] GET = "get".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "set ".getBytes(StandardCharsets.US_ASCII);
    private static final short CRLF = ('\r' << 8) | '\n';

    private final KeySpace keys;
    private final ValueSpec values;
    /** {@code " 0 0 <size>\r\n"}: flags 0, no expiry, the value length. */
    private final byte[] setTail;
    private final boolean allowMisses;
    private final java.util.function.Supplier<ValueCheck> checks;

    public MemcacheProtocol(KeySpace keys, ValueSpec values, boolean allowMisses) {
        this(keys, values, allowMisses, () -> ValueCheck.fixed(values));
    }

    /** @param checks a value checker for each connection's parser */
    public MemcacheProtocol(KeySpace keys, ValueSpec values, boolean allowMisses,
            java.util.function.Supplier<ValueCheck> checks) {
        this.keys = keys;
        this.values = values;
        this.allowMisses = allowMisses;
        this.checks = checks;
        this.setTail = (" 0 0 " + values.size() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public int encodedSizeHint(Request r) {
        if (r.kind == Request.SET) return SET.length + KeySpace.MAX_KEY_LENGTH + setTail.length + values.size() + 2;
        return GET.length + 2 + r.keyCount * (1 + keys.key(r.keys[0]).length + 2);
    }

    @Override
    public void encode(Request r, ByteBuf out, byte[] scratch) {
        if (r.kind == Request.SET) {
            int key = r.keys[0];
            out.writeBytes(SET).writeBytes(keys.key(key)).writeBytes(setTail);
            values.writeValue(key, r.version == Request.SPEC_VERSION ? values.version() : r.version, out, scratch);
            out.writeShort(CRLF);
        } else {
            out.writeBytes(GET);
            for (int i = 0; i < r.keyCount; i++) {
                out.writeByte(' ').writeBytes(keys.key(r.keys[i]));
            }
            out.writeShort(CRLF);
        }
    }

    @Override
    public ReplyParser newParser(ReplyParser.Listener listener) {
        return new MemcacheReplyParser(keys, checks.get(), listener, allowMisses);
    }
}
