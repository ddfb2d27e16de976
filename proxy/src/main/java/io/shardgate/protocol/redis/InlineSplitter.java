package io.shardgate.protocol.redis;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/** redis's inline splitting: blanks separate words, "..." with escapes and '...' quote them. */
final class InlineSplitter {
    private InlineSplitter() {}

    /** The words of [start, end), or null for unbalanced quotes. */
    static List<byte[]> split(ByteBuf in, int start, int end) {
        int nul = in.indexOf(start, end, (byte) 0);
        if (nul >= 0) end = nul; // redis splits the line as a C string: a NUL ends it
        List<byte[]> words = new ArrayList<>();
        java.io.ByteArrayOutputStream word = new java.io.ByteArrayOutputStream();
        int i = start;
        for (;;) {
            while (i < end && isBlank(in.getByte(i))) i++;
            if (i >= end) return words;
            word.reset();
            boolean inDouble = false;
            boolean inSingle = false;
            for (;;) {
                if (inDouble) {
                    if (i >= end) return null;
                    byte c = in.getByte(i);
                    if (c == '\\' && i + 3 < end && in.getByte(i + 1) == 'x'
                            && isHex(in.getByte(i + 2)) && isHex(in.getByte(i + 3))) {
                        word.write(hex(in.getByte(i + 2)) * 16 + hex(in.getByte(i + 3)));
                        i += 4;
                    } else if (c == '\\' && i + 1 < end) {
                        byte e = in.getByte(i + 1);
                        word.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                        i += 2;
                    } else if (c == '"') {
                        i++;
                        if (i < end && !isBlank(in.getByte(i))) return null; // closing quote must end the word
                        break;
                    } else {
                        word.write(c);
                        i++;
                    }
                } else if (inSingle) {
                    if (i >= end) return null;
                    byte c = in.getByte(i);
                    if (c == '\\' && i + 1 < end && in.getByte(i + 1) == '\'') {
                        word.write('\'');
                        i += 2;
                    } else if (c == '\'') {
                        i++;
                        if (i < end && !isBlank(in.getByte(i))) return null;
                        break;
                    } else {
                        word.write(c);
                        i++;
                    }
                } else {
                    if (i >= end) break;
                    byte c = in.getByte(i);
                    if (endsWord(c)) break;
                    if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        word.write(c);
                    }
                    i++;
                }
            }
            words.add(word.toByteArray());
        }
    }

    /** C's isspace: what redis skips between words and accepts after a closing quote. */
    private static boolean isBlank(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** What ends an unquoted word for redis: not \v or \f, which isspace skips only between words. */
    private static boolean endsWord(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static boolean isHex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }

    private static int hex(byte b) {
        return b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
