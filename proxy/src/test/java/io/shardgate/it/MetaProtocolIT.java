package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.routing.PoolRouter;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.ProxyFixture;
import io.shardgate.testsupport.RawClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The meta protocol through the proxy, three real memcached behind it, against the same requests sent straight
 * to one memcached: the bytes must be the same, except for values that differ from server to server (CAS values,
 * times), which are compared by shape. No Java client library on Maven Central speaks the meta protocol, so this
 * uses raw sockets.
 */
class MetaProtocolIT {
    private static ProxyFixture fixture;
    private static MemcachedServer direct;
    private String p; // a key prefix of this test's own

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = ProxyFixture.memcache(3);
        direct = MemcachedServer.start();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
        if (direct != null) direct.close();
    }

    @BeforeEach
    void prefix(TestInfo info) {
        p = info.getTestMethod().orElseThrow().getName() + ":";
    }

    // ---- comparisons with memcached ----

    @Test
    void aMixedScriptGivesTheSameBytesAsMemcached() {
        Script script = new Script(new Random(42), keys(8, 6), true);
        for (int i = 0; i < 4000; i++) script.next();
        compare(script.finish(), script.binaryKeys, 0);
    }

    @Test
    void aPipelineOfTenThousandMetaRequests() {
        Script script = new Script(new Random(7), keys(10, 5), false);
        for (int i = 0; i < 10_000; i++) script.next();
        compare(script.finish(), script.binaryKeys, 0);
    }

    @Test
    void requestsArrivingInPiecesGiveTheSameBytes() {
        Script script = new Script(new Random(99), keys(4, 3), true);
        for (int i = 0; i < 400; i++) script.next();
        compare(script.finish(), script.binaryKeys, 9);
    }

    @Test
    void quietMissesAndHitsInterleaved() {
        Script script = new Script(new Random(5), keys(6, 0), false);
        StringBuilder s = new StringBuilder();
        List<String> keys = script.plainKeys;
        for (int i = 0; i < keys.size(); i += 2) s.append("ms ").append(keys.get(i)).append(" 2 q T0\r\nv").append(i % 10).append("\r\n");
        s.append("mn\r\n");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < keys.size(); i++) {
                s.append("mg ").append(keys.get(i)).append(" q v k O").append(round).append('.').append(i).append("\r\n");
                if (i % 5 == 4) s.append("mn\r\n");
            }
            s.append("md ").append(keys.get(round)).append(" q\r\nmn\r\n");
        }
        String viaProxy = exchange(fixture.port(), s.toString(), 0);
        assertThat(viaProxy).isEqualTo(exchange(direct.port(), s.toString(), 0));
        // hits only, in order, each mn where it was asked; the deleted key reads as a miss afterwards
        assertThat(viaProxy).startsWith("MN\r\nVA 2 k" + keys.get(0) + " O0.0\r\nv0\r\nVA 2 k" + keys.get(2) + " O0.2\r\nv2\r\n");
        assertThat(viaProxy).doesNotContain("EN\r\n").doesNotContain("HD").endsWith("MN\r\n");
    }

    @Test
    void quietArithmeticWithAutovivifyAnswersOnlyWhenItCreates() {
        String k = p + "counter";
        String s = "ma " + k + " q N0 J10 v\r\nma " + k + " q N0 J10 v\r\nma " + k + " q N0 MD D3 v t\r\nmn\r\n"
                + "ma " + k + "x q\r\nmd " + k + " q\r\nmd " + k + " q\r\nma " + k + " q N0\r\nmg " + k + " v\r\n"
                + "ms " + k + " 3 q\r\nabc\r\nma " + k + " q N0 D1\r\nmn\r\n";
        String expected = "VA 2\r\n10\r\nMN\r\nNF\r\nNF\r\nHD\r\nVA 1\r\n0\r\n"
                + "CLIENT_ERROR cannot increment or decrement non-numeric value\r\nMN\r\n";
        assertThat(exchange(direct.port(), s, 0)).isEqualTo(expected);
        assertThat(exchange(fixture.port(), s, 0)).isEqualTo(expected);
    }

    @Test
    void badFlagsAndLengthsAreAnsweredAndASecondClientIsUnaffected() throws Exception {
        String k = p + "k";
        String bad = "mg " + k + " x\r\nmg " + k + " v v\r\nmd " + k + " Dx\r\nma " + k + " MX\r\nms " + k + " 3 Zx\r\nabc\r\n"
                + "ms " + k + " 2 MX\r\nab\r\nmg " + k + " O123456789012345678901234567890123\r\nmx " + k + "\r\nmg zzz b\r\n"
                + "mg\r\nme\r\nmn\r\n";
        String expected = "CLIENT_ERROR invalid flag\r\nCLIENT_ERROR duplicate flag\r\nCLIENT_ERROR invalid or duplicate flag\r\n"
                + "CLIENT_ERROR invalid mode for ma M token\r\nCLIENT_ERROR invalid flag\r\n"
                + "CLIENT_ERROR invalid mode for ms M token\r\nCLIENT_ERROR opaque token too long\r\nERROR\r\n"
                + "CLIENT_ERROR error decoding key\r\nERROR\r\nCLIENT_ERROR bad command line format\r\nMN\r\n";
        assertThat(exchange(direct.port(), bad, 0)).isEqualTo(expected);
        try (RawClient a = fixture.client(); RawClient b = fixture.client()) {
            b.send("ms " + k + "b 5 T0\r\nhello\r\n");
            a.send(bad);
            assertThat(a.readLike(expected)).isEqualTo(expected);
            b.send("mg " + k + "b v q\r\nmg " + k + "c v q\r\nmn\r\n");
            assertThat(b.readLike("HD\r\nVA 5\r\nhello\r\nMN\r\n")).isEqualTo("HD\r\nVA 5\r\nhello\r\nMN\r\n");
            // an ms without a usable length: the data can't be told from commands, so the client is closed
            a.send("ms " + k + " 4294967297 T0\r\nx\r\nmn\r\n");
            assertThat(a.readLike("CLIENT_ERROR bad command line format\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
            assertThat(a.isClosedByPeer()).isTrue();
            b.send("ms " + k + "b 2 q MA\r\n!!\r\nmg " + k + "b v\r\n");
            assertThat(b.readLike("VA 7\r\nhello!!\r\n")).isEqualTo("VA 7\r\nhello!!\r\n");
        }
    }

    @Test
    void anOversizedMsIsRefusedAndItsDataSkipped() {
        int big = 2 * 1024 * 1024;
        String s = "ms " + p + "big " + big + " T0\r\n" + "x".repeat(big) + "\r\nmn\r\n";
        String reply = "SERVER_ERROR object too large for cache\r\nMN\r\n";
        assertThat(exchange(direct.port(), s, 0)).isEqualTo(reply);
        assertThat(exchange(fixture.port(), s, 0)).isEqualTo(reply);
    }

    @Test
    void aKeyLandsOnTheSameServerPlainOrInBase64() {
        PoolRouter router = PoolRouter.forPool(fixture.pool());
        for (int i = 0; i < 30; i++) {
            String key = p + i;
            String b64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.ISO_8859_1));
            String script = "ms " + key + " 1 T0 q\r\n" + (i % 10) + "\r\nmg " + b64 + " b v k\r\n";
            String viaProxy = exchange(fixture.port(), script, 0);
            assertThat(viaProxy).startsWith("VA 1 ").isEqualTo(exchange(direct.port(), script, 0));
            byte[] binary = {(byte) i, 0, (byte) 0xff, '\r', '\n', ' '};
            String binary64 = Base64.getEncoder().encodeToString(binary);
            exchange(fixture.port(), "ms " + binary64 + " 2 b T0 q\r\nok\r\nmn\r\n", 0);
            int server = router.serverFor(binary, 0, binary.length);
            String onServer = exchange(fixture.backends().get(server).port(), "mg " + binary64 + " b v\r\n", 0);
            assertThat(onServer).as("binary key %s on server %d", binary64, server).isEqualTo("VA 2\r\nok\r\n");
        }
    }

    /**
     * memcached 1.6.18 doesn't mark an item that {@code mg ... N} creates as having a binary key, so {@code k}
     * and {@code me ... b} write that key back raw, newlines included, in the middle of a reply line. Each such
     * reply must still reach its own request whole, and every reply after it must stay in place.
     */
    @Test
    void binaryKeysMemcachedWritesBackRawKeepEveryReplyInPlace() {
        StringBuilder s = new StringBuilder();
        String plain = p + "plain";
        s.append("ms ").append(plain).append(" 2 T0 q\r\nok\r\n");
        for (String tail : RAW_ECHO_KEY_TAILS) {
            String b64 = Base64.getEncoder().encodeToString((p + tail).getBytes(StandardCharsets.ISO_8859_1));
            s.append("mg ").append(b64).append(" b N30 k s v O1\r\n") // created: VA 0 k<raw> s0 O1 W + empty value
                    .append("mg ").append(plain).append(" v\r\n")
                    .append("mg ").append(b64).append(" h k b f t\r\n") // a hit: still raw
                    .append("me ").append(b64).append(" b\r\n") // ME <raw> ...
                    .append("mg ").append(b64).append(" q b v k\r\n") // quiet hit: sent
                    .append("md ").append(b64).append(" b q\r\n")
                    .append("mg ").append(b64).append(" b k q N0 O2\r\n") // created again, quiet doesn't hide it
                    .append("mg ").append(plain).append(" v k\r\n")
                    .append("ms ").append(b64).append(" 2 b k T0 O3\r\nhi\r\n") // stored with b: base64 from now on
                    .append("mg ").append(b64).append(" b k v\r\n")
                    .append("me ").append(b64).append(" b\r\n")
                    .append("md ").append(b64).append(" b q\r\nmn\r\n");
        }
        String viaDirect = exchange(direct.port(), s.toString(), 0);
        List<byte[]> keys = new ArrayList<>();
        for (String tail : RAW_ECHO_KEY_TAILS) {
            assertThat(viaDirect).as("memcached writes the created item's key raw").contains(" k" + p + tail + " ");
            keys.add((p + tail).getBytes(StandardCharsets.ISO_8859_1));
        }
        compare(s.toString(), keys, 0);
        compare(s.toString().replace(" O1\r\n", " O4\r\n"), keys, 7); // the same bytes arriving in small pieces
    }

    /**
     * Binary key endings that reply framing by lines would get wrong when memcached writes the key raw: a newline,
     * and newlines followed by what reads like a reply, a marker or a value.
     */
    private static final List<String> RAW_ECHO_KEY_TAILS = List.of("\n", "x\ny", "\r\nMN\r\n", "a k\r\nEN\r\nHD",
            "\nVA 2 \r\nhi\r\n", "\r\nME x\r\n");

    @Test
    void textAndMetaShareKeysOnOneConnection() {
        String k = p + "k";
        String s = "set " + k + " 3 0 2\r\nhi\r\nmg " + k + " v f\r\nms " + k + " 3 F9 T0\r\nbye\r\nget " + k + "\r\n"
                + "ma " + k + "n N0 J41\r\nincr " + k + "n 1\r\nmg " + k + "n v\r\ndelete " + k + "\r\nmd " + k + " q\r\nmn\r\n";
        String expected = "STORED\r\nVA 2 f3\r\nhi\r\nHD\r\nVALUE " + k + " 9 3\r\nbye\r\nEND\r\nHD\r\n42\r\nVA 2\r\n42\r\n"
                + "DELETED\r\nNF\r\nMN\r\n";
        assertThat(exchange(direct.port(), s, 0)).isEqualTo(expected);
        assertThat(exchange(fixture.port(), s, 0)).isEqualTo(expected);
    }

    @Test
    void metaDebugIsRoutedByKey() {
        String k = p + "k";
        String s = "ms " + k + " 2 T0\r\nhi\r\nme " + k + "\r\nme " + k + "nope\r\n";
        String viaProxy = exchange(fixture.port(), s, 0);
        assertThat(viaProxy).matches("HD\r\nME " + java.util.regex.Pattern.quote(k)
                + " exp=-1 la=\\d+ cas=\\d+ fetch=no cls=\\d+ size=\\d+\r\nEN\r\n");
        assertThat(normalize(viaProxy)).isEqualTo(normalize(exchange(direct.port(), s, 0)));
    }

    // ---- helpers ----

    /**
     * Keys for every server: {@code perServer} plain ones and {@code binaryPerServer} binary ones each, plus (when
     * there are binary keys) the {@link #RAW_ECHO_KEY_TAILS} ones wherever they land. Every random binary key holds
     * a newline, the byte that matters when memcached writes a key back raw: which random keys are picked depends
     * on the servers' ports (ketama hashes host:port), so otherwise only some runs would test it, those whose
     * keys happened to hold one where a script has memcached write a key back raw.
     */
    private Keys keys(int perServer, int binaryPerServer) {
        PoolRouter router = PoolRouter.forPool(fixture.pool());
        int servers = fixture.backends().size();
        int[] plain = new int[servers];
        int[] binary = new int[servers];
        Keys keys = new Keys();
        Random random = new Random(p.hashCode());
        for (int i = 0; keys.plain.size() < perServer * servers; i++) {
            assertThat(i).isLessThan(100_000);
            String key = p + "key" + i;
            byte[] bytes = key.getBytes(StandardCharsets.ISO_8859_1);
            int s = router.serverFor(bytes, 0, bytes.length);
            if (plain[s] < perServer) {
                plain[s]++;
                keys.plain.add(key);
            }
        }
        for (int i = 0; keys.binary.size() < binaryPerServer * servers; i++) {
            assertThat(i).isLessThan(100_000);
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            bytes[random.nextInt(bytes.length)] = '\n'; // in every one: see above
            int s = router.serverFor(bytes, 0, bytes.length);
            if (binary[s] < binaryPerServer) {
                binary[s]++;
                keys.binary.add(bytes);
            }
        }
        if (binaryPerServer > 0) {
            for (String tail : RAW_ECHO_KEY_TAILS) keys.binary.add((p + tail).getBytes(StandardCharsets.ISO_8859_1));
        }
        return keys;
    }

    private static final class Keys {
        final List<String> plain = new ArrayList<>();
        final List<byte[]> binary = new ArrayList<>();
    }

    /**
     * Sends the script to the proxy and to memcached and checks the replies agree. {@code binaryKeys} are the
     * script's binary keys, which memcached may write back raw ({@link #hideRawKeys}).
     */
    private void compare(String script, List<byte[]> binaryKeys, int maxChunk) {
        String viaProxy = exchange(fixture.port(), script, maxChunk);
        String viaDirect = exchange(direct.port(), script, 0);
        String a = normalize(hideRawKeys(viaProxy, binaryKeys));
        String b = normalize(hideRawKeys(viaDirect, binaryKeys));
        if (!a.equals(b)) {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "meta-mismatch-" + p.replace(":", "") + ".txt"), script, StandardCharsets.ISO_8859_1);
            } catch (IOException ignored) {
                // best effort, for debugging
            }
            int i = 0;
            while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
            int from = Math.max(0, i - 300);
            throw new AssertionError("replies differ at " + i + "\nproxy:  ..." + escape(a.substring(from, Math.min(a.length(), i + 200)))
                    + "\ndirect: ..." + escape(b.substring(from, Math.min(b.length(), i + 200))));
        }
        assertThat(a.length()).isGreaterThan(script.length() / 20);
    }

    /**
     * The replies with every binary key holding {@code \r\n} that memcached wrote back raw (after {@code " k"} or
     * {@code "ME "}) replaced by a name of its own: {@link #normalize} reads reply lines up to {@code \r\n}, and
     * such a key would cut one in two, leaving the CAS, TTL and times after it unnormalised. Both sides get the
     * same names, so they must still hold the same key in the same place.
     */
    static String hideRawKeys(String replies, List<byte[]> binaryKeys) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < binaryKeys.size(); i++) order.add(i);
        order.sort((x, y) -> binaryKeys.get(y).length - binaryKeys.get(x).length); // a key starting another: after it
        for (int i : order) {
            String key = new String(binaryKeys.get(i), StandardCharsets.ISO_8859_1);
            if (!key.contains("\r\n")) continue;
            replies = replies.replace(" k" + key, " k<raw key " + i + ">").replace("ME " + key, "ME <raw key " + i + ">");
        }
        return replies;
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n\n");
    }

    /** A last request whose reply can't occur anywhere else: the replies end with it. */
    private static final String END_REQUEST = "mg shardgate-test-end Oend\r\n";
    private static final String END_REPLY = "EN Oend\r\n";

    /**
     * Sends {@code script} (in pieces of at most {@code maxChunk} bytes when that is positive) followed by a
     * marker request, reading replies meanwhile up to the marker's, and returns the replies before it.
     */
    static String exchange(int port, String script, int maxChunk) {
        byte[] bytes = (script + END_REQUEST).getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> write(out, bytes, maxChunk));
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            while (!endsWith(replies, END_REPLY)) {
                int n = in.read(buf);
                if (n < 0) throw new AssertionError("connection closed after " + replies.size() + " bytes");
                replies.write(buf, 0, n);
            }
            writer.get(30, TimeUnit.SECONDS);
            String all = replies.toString(StandardCharsets.ISO_8859_1);
            return all.substring(0, all.length() - END_REPLY.length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean endsWith(ByteArrayOutputStream out, String suffix) {
        if (out.size() < suffix.length()) return false;
        byte[] all = out.toByteArray(); // only at the end of a read, so rare enough
        for (int i = 0; i < suffix.length(); i++) {
            if (all[all.length - suffix.length() + i] != suffix.charAt(i)) return false;
        }
        return true;
    }

    private static void write(OutputStream out, byte[] bytes, int maxChunk) {
        try {
            if (maxChunk <= 0) {
                out.write(bytes);
            } else {
                Random random = new Random(1);
                int pieces = 0;
                for (int off = 0; off < bytes.length; ) {
                    int n = Math.min(bytes.length - off, 1 + random.nextInt(maxChunk));
                    out.write(bytes, off, n);
                    out.flush();
                    off += n;
                    if (++pieces % 16 == 0) Thread.sleep(1);
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Replaces what differs between servers, in reply lines only (data blocks are copied as they are): CAS
     * values, TTLs and last-access times of meta replies, the CAS of gets, and the times and CAS of me.
     */
    static String normalize(String replies) {
        StringBuilder out = new StringBuilder(replies.length());
        int pos = 0;
        while (pos < replies.length()) {
            int eol = replies.indexOf("\r\n", pos);
            if (eol < 0) {
                out.append(replies, pos, replies.length());
                break;
            }
            String line = replies.substring(pos, eol);
            pos = eol + 2;
            String[] tokens = line.split(" ", -1);
            int data = -1;
            if (line.startsWith("VA ") || line.startsWith("HD") || line.startsWith("EN") || line.startsWith("NF")
                    || line.startsWith("NS") || line.startsWith("EX")) {
                for (int t = 1; t < tokens.length; t++) {
                    if (tokens[t].matches("c\\d+")) tokens[t] = "c#";
                    if (tokens[t].matches("t-?\\d+") && !tokens[t].equals("t-1")) tokens[t] = "t#";
                    if (tokens[t].matches("l\\d+")) tokens[t] = "l#";
                }
                if (line.startsWith("VA ")) data = Integer.parseInt(tokens[1]);
            } else if (line.startsWith("VALUE ")) {
                if (tokens.length == 5) tokens[4] = "#";
                data = Integer.parseInt(tokens[3]);
            } else if (line.startsWith("ME ")) {
                line = line.replaceAll(" exp=(?!-1 )-?\\d+", " exp=#").replaceAll(" la=\\d+", " la=#").replaceAll(" cas=\\d+", " cas=#");
                tokens = new String[] {line};
            }
            out.append(String.join(" ", tokens)).append("\r\n");
            if (data >= 0) {
                out.append(replies, pos, Math.min(replies.length(), pos + data + 2));
                pos += data + 2;
            }
        }
        return out.toString();
    }

    /** Where counters' values start: see {@link Script#counterValue}. */
    private static final long COUNTER_BASE = 50_000_000;

    /** Random meta requests (and a few text ones) over keys on every server, with every flag the brief names. */
    private final class Script {
        final Random r;
        final List<String> plainKeys;
        final List<byte[]> binaryKeys;
        final boolean withText;
        final StringBuilder s = new StringBuilder();
        int n;

        Script(Random r, Keys keys, boolean withText) {
            this.r = r;
            this.plainKeys = keys.plain;
            this.binaryKeys = keys.binary;
            this.withText = withText;
        }

        String finish() {
            return s.append("mn\r\n").toString();
        }

        /**
         * A key token for anything but arithmetic, and "b" when it is base64. memcached replaces an item that
         * ma or incr changes while a reply still holds it by a new one without the old one's marks (fetched,
         * stale, win token sent, binary key), which depends on timing; so counters get keys of their own.
         */
        private String[] key() {
            int pick = r.nextInt(100);
            if (pick < 20 && !binaryKeys.isEmpty()) {
                return new String[] {Base64.getEncoder().encodeToString(binaryKeys.get(r.nextInt(binaryKeys.size()))), "b"};
            }
            String key = plainKeys.get(2 * r.nextInt(plainKeys.size() / 2));
            if (pick < 35) return new String[] {Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.ISO_8859_1)), "b"};
            return new String[] {key, null};
        }

        private String counterKey() {
            return plainKeys.get(2 * r.nextInt(plainKeys.size() / 2) + 1);
        }

        /**
         * A number for a counter (or any value a counter may get): within a thousand of {@link #COUNTER_BASE}. An
         * increment or decrement that leaves a value shorter is written over the old item, padded with spaces
         * ({@code 10} decremented reads {@code "9 "}), unless a reply not yet sent still holds the item, when
         * memcached writes a new item of the exact length ({@code "9"}): which one depends on when memcached
         * writes its replies, and the proxy pipelines requests to a server differently than one client does. So no
         * increment or decrement here may change a counter's number of digits: from the base, even 10,000 of
         * them by 99 (the largest delta here) stay far from 10,000,000 and 100,000,000, and two such numbers
         * appended make one far from a power of ten too (three are too long to count with). Then both ways give
         * the same bytes; the marks the new item loses are never asked of a counter.
         */
        private String counterValue() {
            return Long.toString(COUNTER_BASE + r.nextInt(1000));
        }

        private String plainKey() {
            return plainKeys.get(r.nextInt(plainKeys.size()));
        }

        private String opaque() {
            return "O" + Integer.toString(n, 36);
        }

        private String ttl() {
            return switch (r.nextInt(3)) {
                case 0 -> "0";
                case 1 -> "3600";
                default -> "7200";
            };
        }

        /** Big CAS values, which no item on any server has, so C compares alike everywhere. */
        private String cas() {
            return "C" + (1_000_000_000_000L + r.nextInt(1000));
        }

        private String value() {
            if (r.nextInt(3) == 0) return counterValue(); // text set may store it on a counter's key
            StringBuilder v = new StringBuilder("v").append(n);
            int extra = r.nextInt(24);
            for (int i = 0; i < extra; i++) v.append((char) ('a' + r.nextInt(26)));
            if (r.nextInt(20) == 0) v.append("\r\nEN\r\nMN\r\n"); // data blocks may hold reply lines
            return v.toString();
        }

        void next() {
            n++;
            int kind = r.nextInt(100);
            if (kind < 30) get();
            else if (kind < 55) set();
            else if (kind < 65) delete();
            else if (kind < 80) arithmetic();
            else if (kind < 87) s.append("mn\r\n");
            else if (kind < 90) debug();
            else if (kind < 93) bad();
            else if (withText) text();
            else get();
        }

        private void get() {
            if (r.nextInt(4) == 0) {
                line("mg", counterKey(), null, pick(List.of("v", "k", "c", "t", "f", "s", "u", "q", "q", "q", opaque(),
                        "T" + ttl()), null));
                return;
            }
            String[] key = key();
            List<String> flags = pick(List.of("v", "k", "c", "t", "f", "s", "h", "u", "q", "q", "q", opaque(),
                    "T" + ttl(), "N" + ttl(), r.nextBoolean() ? "R30" : "R100000", "l"), key[1]);
            line("mg", key[0], null, flags);
        }

        private void set() {
            boolean counter = r.nextInt(3) == 0;
            String[] key = counter ? new String[] {counterKey(), null} : key();
            List<String> options = new ArrayList<>(List.of("T" + ttl(), "F" + r.nextInt(70000), "q", "q", "k", "c", opaque()));
            int mode = r.nextInt(10);
            if (mode < 4) options.add("M" + "EAPRS".charAt(mode));
            if (r.nextInt(10) == 0) {
                options.add(cas());
                if (r.nextBoolean()) options.add("I");
            }
            String value = counter ? counterValue() : value();
            line("ms", key[0], Integer.toString(value.length()), pick(options, key[1]));
            s.append(value).append("\r\n");
        }

        private void delete() {
            boolean counter = r.nextInt(4) == 0;
            String[] key = counter ? new String[] {counterKey(), null} : key();
            List<String> options = new ArrayList<>(List.of("q", "q", "k", opaque()));
            if (!counter && r.nextInt(4) == 0) {
                options.add("I");
                options.add("T" + ttl());
            }
            if (r.nextInt(10) == 0) options.add(cas());
            line("md", key[0], null, pick(options, key[1]));
        }

        private void arithmetic() {
            String key = counterKey();
            String b = null;
            if (r.nextInt(4) == 0) {
                key = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.ISO_8859_1));
                b = "b";
            }
            List<String> options = new ArrayList<>(List.of("q", "q", "k", "v", "t", "c", opaque(), "D" + r.nextInt(100),
                    "M" + "ID+-".charAt(r.nextInt(4)), "N" + ttl(), "N" + ttl(), "J" + counterValue()));
            if (r.nextInt(10) == 0) options.add(cas());
            List<String> flags = pick(options, b);
            // N without J creates the counter at 0, outside counterValue()'s range
            boolean n = flags.stream().anyMatch(f -> f.startsWith("N"));
            boolean j = flags.stream().anyMatch(f -> f.startsWith("J"));
            if (n && !j) flags.add(r.nextInt(flags.size() + 1), "J" + counterValue());
            line("ma", key, null, flags);
        }

        private void debug() {
            String[] key = key();
            s.append("me ").append(key[0]);
            if (key[1] != null) s.append(" b");
            s.append("\r\n");
        }

        private void bad() {
            String key = plainKey();
            switch (r.nextInt(8)) {
                case 0 -> s.append("mg ").append(key).append(" x\r\n");
                case 1 -> s.append("mg ").append(key).append(" v v\r\n");
                case 2 -> s.append("md ").append(key).append(" Dx\r\n");
                case 3 -> s.append("ma ").append(key).append(" MX\r\n");
                case 4 -> s.append("ms ").append(key).append(" 3 Zx\r\nabc\r\n");
                // (not mg or ma: memcached applies those before it refuses the opaque; the proxy refuses first)
                case 5 -> s.append("md ").append(key).append(" q O123456789012345678901234567890123\r\n");
                case 6 -> s.append("mx ").append(key).append("\r\n");
                default -> s.append("ms ").append(key).append(" 2 MX q\r\nab\r\n");
            }
        }

        private void text() {
            String key = plainKey();
            switch (r.nextInt(4)) {
                case 0 -> {
                    String value = value();
                    s.append("set ").append(key).append(" 1 0 ").append(value.length()).append("\r\n").append(value).append("\r\n");
                }
                case 1 -> s.append("get ").append(key).append(' ').append(plainKey()).append("\r\n");
                case 2 -> s.append("delete ").append(key).append("\r\n");
                default -> s.append("incr ").append(counterKey()).append(" 3\r\n");
            }
        }

        /** A random subset of the options, each letter at most once, in random order; plus b when needed. */
        private List<String> pick(List<String> options, String b) {
            List<String> shuffled = new ArrayList<>(options);
            Collections.shuffle(shuffled, r);
            List<String> out = new ArrayList<>();
            boolean[] used = new boolean[128];
            int count = r.nextInt(Math.min(shuffled.size(), 8) + 1);
            for (String option : shuffled) {
                if (out.size() >= count) break;
                if (used[option.charAt(0)]) continue;
                used[option.charAt(0)] = true;
                out.add(option);
            }
            if (b != null) out.add(r.nextInt(out.size() + 1), b);
            return out;
        }

        private void line(String command, String key, String length, List<String> flags) {
            s.append(command).append(' ').append(key);
            if (length != null) s.append(' ').append(length);
            for (String flag : flags) s.append(' ').append(flag);
            s.append("\r\n");
        }
    }
}
