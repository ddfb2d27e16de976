package io.shardgate.protocol.memcache;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Replies the proxy writes itself. Fixed ones are shared, never-released buffers handed out as duplicates. */
final class McReplies {
    static final ByteBuf END = constant("END\r\n");
    static final ByteBuf OK = constant("OK\r\n");
    static final ByteBuf ERROR = constant("ERROR\r\n");
    static final ByteBuf BAD_FORMAT = constant("CLIENT_ERROR bad command line format\r\n");
    static final ByteBuf BAD_DATA_CHUNK = constant("CLIENT_ERROR bad data chunk\r\n");
    static final ByteBuf LINE_TOO_LONG = constant("CLIENT_ERROR line too long\r\n");
    static final ByteBuf TOO_LARGE = constant("SERVER_ERROR object too large for cache\r\n");
    static final ByteBuf INVALID_DELTA = constant("CLIENT_ERROR invalid numeric delta argument\r\n");
    static final ByteBuf MN = constant("MN\r\n");
    static final ByteBuf META_OPTIONS_TOO_LONG = constant("CLIENT_ERROR options flags too long\r\n");
    /** mg words it differently from ms, md and ma. */
    static final ByteBuf META_OPTIONS_ARE_TOO_LONG = constant("CLIENT_ERROR options flags are too long\r\n");
    static final ByteBuf META_INVALID_OR_DUPLICATE_FLAG = constant("CLIENT_ERROR invalid or duplicate flag\r\n");
    static final ByteBuf META_OPAQUE_TOO_LONG = constant("CLIENT_ERROR opaque token too long\r\n");
    static final ByteBuf BAD_DELETE = constant("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n");

    private McReplies() {}

    private static ByteBuf constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }

    /** A fresh view of a shared reply, safe to write. */
    static ByteBuf of(ByteBuf constant) {
        return constant.duplicate();
    }

    /** A complete error line (already prefixed) on the heap; rare, so not pooled. */
    static ByteBuf clientErrorLine(String line) {
        return Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.US_ASCII);
    }

    static ByteBuf line(ByteBufAllocator alloc, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        ByteBuf buf = alloc.directBuffer(bytes.length + 2);
        return buf.writeBytes(bytes).writeByte('\r').writeByte('\n');
    }

    static ByteBuf serverError(ByteBufAllocator alloc, String reason) {
        return line(alloc, "SERVER_ERROR " + reason);
    }

    static ByteBuf clientError(ByteBufAllocator alloc, String reason) {
        return line(alloc, "CLIENT_ERROR " + reason);
    }
}
