package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Replies the proxy writes itself. Fixed ones are shared, never-released buffers handed out as duplicates. */
final class RespReplies {
    static final ByteBuf OK = constant("+OK\r\n");
    static final ByteBuf PONG = constant("+PONG\r\n");
    static final ByteBuf NOAUTH = constant("-NOAUTH Authentication required.\r\n");
    static final ByteBuf WRONGPASS = constant("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    /** What redis answered an AUTH when it had no password (before 6.0 reworded it); twemproxy's tests expect it. */
    static final ByteBuf NO_PASSWORD = constant("-ERR Client sent AUTH, but no password is set\r\n");
    static final ByteBuf NOT_AN_INTEGER = constant("-ERR value is not an integer or out of range\r\n");
    static final ByteBuf SYNTAX = constant("-ERR syntax error\r\n");

    private RespReplies() {}

    static ByteBuf constant(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(bytes.length).writeBytes(bytes)).asReadOnly();
    }

    static ByteBuf of(ByteBuf constant) {
        return constant.duplicate();
    }

    /** {@code -<text>\r\n}, with any CR or LF in the text turned into spaces so the reply stays one line. */
    static ByteBuf error(ByteBufAllocator alloc, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = alloc.buffer(bytes.length + 3);
        buf.writeByte('-');
        for (byte b : bytes) buf.writeByte(b == '\r' || b == '\n' ? ' ' : b);
        return buf.writeByte('\r').writeByte('\n');
    }

    static ByteBuf bulk(ByteBufAllocator alloc, ByteBuf src, int offset, int length) {
        ByteBuf buf = alloc.buffer(length + 16);
        buf.writeByte('$');
        writeDecimal(buf, length);
        buf.writeByte('\r').writeByte('\n');
        buf.writeBytes(src, offset, length);
        return buf.writeByte('\r').writeByte('\n');
    }

    static ByteBuf integer(ByteBufAllocator alloc, long value) {
        ByteBuf buf = alloc.buffer(24);
        buf.writeByte(':');
        writeDecimal(buf, value);
        return buf.writeByte('\r').writeByte('\n');
    }

    static void writeDecimal(ByteBuf buf, long value) {
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                buf.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
                return;
            }
            buf.writeByte('-');
            value = -value;
        }
        if (value < 10) {
            buf.writeByte((int) ('0' + value));
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) digits++;
        int end = buf.writerIndex() + digits;
        buf.ensureWritable(digits);
        for (int i = end - 1; i >= end - digits; i--) {
            buf.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        buf.writerIndex(end);
    }

    static int decimalLength(long value) {
        int digits = value < 0 ? 2 : 1;
        for (long v = Math.abs(value); v >= 10; v /= 10) digits++;
        return digits;
    }

    /**
     * A signed decimal in [start, end), redis's way (no sign on zero, no leading zeros or plus), or
     * {@link Long#MIN_VALUE} when it is not one.
     */
    static long parseLong(ByteBuf buf, int start, int end) {
        int len = end - start;
        if (len <= 0 || len > 20) return Long.MIN_VALUE;
        boolean negative = buf.getByte(start) == '-';
        int i = negative ? start + 1 : start;
        if (i == end) return Long.MIN_VALUE;
        if (buf.getByte(i) == '0' && end - i > 1) return Long.MIN_VALUE;
        long value = 0;
        for (; i < end; i++) {
            int d = buf.getByte(i) - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            if (value > (Long.MAX_VALUE - d) / 10) return Long.MIN_VALUE;
            value = value * 10 + d;
        }
        if (negative && value == 0) return Long.MIN_VALUE;
        return negative ? -value : value;
    }
}
