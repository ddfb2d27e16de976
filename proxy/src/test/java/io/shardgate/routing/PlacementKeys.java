package io.shardgate.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Keys for placement tests, as ISO-8859-1 strings (one char per byte). They vary in length (every tail length of
 * the word-wise hashes, several MD5 blocks) and include bytes >= 0x80, which nutcracker's signed-char hashes treat
 * specially. With {@code tagged}, most keys carry "{...}" hash tags in every position and malformed shape.
 */
final class PlacementKeys {
    private static final String[] SHARED_TAGS = {"user1", "u", "\u00e9t\u00e9", "cart:77", "9"};

    private PlacementKeys() {}

    static List<String> generate(String prefix, int count, boolean tagged, Random random) {
        List<String> keys = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            String id = prefix + n;
            keys.add(tagged ? taggedKey(id, n, random) : id + "." + text(random, length(random), true));
        }
        return keys;
    }

    private static String taggedKey(String id, int n, Random random) {
        String tag = text(random, 1 + random.nextInt(16), false);
        String rest = text(random, random.nextInt(12), false);
        return switch (n % 9) {
            case 0 -> id + "{" + tag + "}" + rest;
            case 1 -> "{" + tag + "}" + id;                        // tag at the start
            case 2 -> id + rest + "{" + tag + "}";                 // tag at the end
            case 3 -> id + "{}" + rest;                            // empty tag: whole key
            case 4 -> id + "}" + rest + "{" + tag;                 // closing before opening, no closing after
            case 5 -> id + "{" + tag;                              // opening without closing
            case 6 -> id + "{" + SHARED_TAGS[n % SHARED_TAGS.length] + "}"; // keys sharing a tag share a server
            case 7 -> id + "{a{" + tag + "}b}" + rest;             // first opening, first closing after it
            default -> id + "." + text(random, length(random), false); // no tag at all
        };
    }

    private static int length(Random random) {
        int bucket = random.nextInt(10);
        if (bucket < 6) return random.nextInt(20);
        if (bucket < 9) return 20 + random.nextInt(60);
        return 80 + random.nextInt(150);
    }

    /** Bytes memcached accepts in a key: printable ASCII and 0x80..0xff, never space or control characters. */
    private static String text(Random random, int length, boolean bracesAllowed) {
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            int b = random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x80) : 0x21 + random.nextInt(0x7f - 0x21);
            if (!bracesAllowed && (b == '{' || b == '}')) continue;
            s.append((char) b);
        }
        return s.toString();
    }
}
