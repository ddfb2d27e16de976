package io.shardgate.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ways an input is fed to a codec: whole, one byte at a time, split once at every byte (short inputs) or at
 * pseudo-random points chosen from the input itself (longer ones, so a failure replays; the fuzzer's next inputs
 * get other points), and cut into random chunks. A resumable codec must give the same result for all of them.
 */
final class Feeds {
    /**
     * Inputs up to this long are split at every byte; longer ones at {@link #RANDOM_SPLITS} points. Each feeding
     * costs a run of the codec, and a fuzzer gains more from many inputs than from every split of one.
     */
    static final int EVERY_SPLIT_UP_TO = 8;
    static final int RANDOM_SPLITS = 6;

    private Feeds() {}

    static List<byte[]> whole(byte[] input) {
        return List.of(input);
    }

    static List<byte[]> oneByteAtATime(byte[] input) {
        List<byte[]> chunks = new ArrayList<>(input.length);
        for (byte b : input) chunks.add(new byte[] {b});
        return chunks;
    }

    /** Every other feeding, each a list of chunks. */
    static List<List<byte[]>> splits(byte[] input) {
        List<List<byte[]>> feeds = new ArrayList<>();
        int n = input.length;
        if (n < 2) return feeds;
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(input));
        if (n <= EVERY_SPLIT_UP_TO) {
            for (int i = 1; i < n; i++) feeds.add(cut(input, i));
        } else {
            for (int k = 0; k < RANDOM_SPLITS; k++) feeds.add(cut(input, 1 + random.nextInt(n - 1)));
        }
        for (int k = 0; k < 2; k++) {
            List<byte[]> chunks = new ArrayList<>();
            int pos = 0;
            while (pos < n) {
                int len = Math.min(n - pos, 1 + random.nextInt(Math.max(1, n / 4)));
                chunks.add(Arrays.copyOfRange(input, pos, pos + len));
                pos += len;
            }
            feeds.add(chunks);
        }
        return feeds;
    }

    private static List<byte[]> cut(byte[] input, int at) {
        return List.of(Arrays.copyOfRange(input, 0, at), Arrays.copyOfRange(input, at, input.length));
    }

    /** The bytes as text: printable ASCII as is, the rest escaped. */
    static String show(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\r') sb.append("\\r");
            else if (b == '\n') sb.append("\\n");
            else if (b == '\\') sb.append("\\\\");
            else if (b >= 0x20 && b < 0x7f) sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        return sb.toString();
    }

    static String show(byte[] bytes) {
        return show(bytes, 0, bytes.length);
    }
}
