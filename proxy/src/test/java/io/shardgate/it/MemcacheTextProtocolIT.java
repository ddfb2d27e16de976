package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.routing.PoolRouter;
import io.shardgate.testsupport.ProxyFixture;
import io.shardgate.testsupport.RawClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Every text command through the proxy over a raw socket, checking the exact bytes, against real memcached. */
class MemcacheTextProtocolIT {
    private static ProxyFixture fixture;
    private String p; // a key prefix of this test's own

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = ProxyFixture.memcache(3, "-I", "2m");
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void prefix(TestInfo info) {
        p = info.getTestMethod().orElseThrow().getName() + ":";
    }

    @Test
    void storageCommands() {
        try (RawClient c = fixture.client()) {
            c.send("set " + p + "a 5 0 3\r\nabc\r\n");
            assertThat(c.readLike("STORED\r\n")).isEqualTo("STORED\r\n");
            c.send("add " + p + "a 0 0 1\r\nx\r\nadd " + p + "b 0 0 1\r\ny\r\n");
            assertThat(c.readLike("NOT_STORED\r\nSTORED\r\n")).isEqualTo("NOT_STORED\r\nSTORED\r\n");
            c.send("replace " + p + "a 7 0 2\r\nzz\r\nreplace " + p + "nope 0 0 1\r\nq\r\n");
            assertThat(c.readLike("STORED\r\nNOT_STORED\r\n")).isEqualTo("STORED\r\nNOT_STORED\r\n");
            c.send("append " + p + "a 0 0 2\r\n>>\r\nprepend " + p + "a 0 0 2\r\n<<\r\n");
            assertThat(c.readLike("STORED\r\nSTORED\r\n")).isEqualTo("STORED\r\nSTORED\r\n");
            c.send("get " + p + "a\r\n");
            String expected = "VALUE " + p + "a 7 6\r\n<<zz>>\r\nEND\r\n";
            assertThat(c.readLike(expected)).isEqualTo(expected);
        }
    }

    @Test
    void casRoundTrip() {
        try (RawClient c = fixture.client()) {
            c.send("set " + p + "k 0 0 1\r\n1\r\ngets " + p + "k\r\n");
            assertThat(c.readLine()).isEqualTo("STORED\r\n");
            String line = c.readLine();
            Matcher m = Pattern.compile("VALUE " + Pattern.quote(p) + "k 0 1 (\\d+)\r\n").matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            String cas = m.group(1);
            assertThat(c.readLike("1\r\nEND\r\n")).isEqualTo("1\r\nEND\r\n");
            c.send("cas " + p + "k 0 0 1 " + cas + "\r\n2\r\ncas " + p + "k 0 0 1 " + cas + "\r\n3\r\ncas " + p + "none 0 0 1 1\r\n4\r\n");
            assertThat(c.readLike("STORED\r\nEXISTS\r\nNOT_FOUND\r\n")).isEqualTo("STORED\r\nEXISTS\r\nNOT_FOUND\r\n");
        }
    }

    @Test
    void arithmeticDeleteTouchAndGat() {
        try (RawClient c = fixture.client()) {
            c.send("set " + p + "n 0 0 2\r\n10\r\nincr " + p + "n 5\r\ndecr " + p + "n 20\r\nincr " + p + "missing 1\r\n");
            assertThat(c.readLike("STORED\r\n15\r\n0\r\nNOT_FOUND\r\n")).isEqualTo("STORED\r\n15\r\n0\r\nNOT_FOUND\r\n");
            c.send("touch " + p + "n 100\r\ntouch " + p + "missing 1\r\n");
            assertThat(c.readLike("TOUCHED\r\nNOT_FOUND\r\n")).isEqualTo("TOUCHED\r\nNOT_FOUND\r\n");
            c.send("gat 100 " + p + "n\r\n");
            // memcached keeps a decremented value's width: 10 - 20 is "0 "
            String gat = "VALUE " + p + "n 0 2\r\n0 \r\nEND\r\n";
            assertThat(c.readLike(gat)).isEqualTo(gat);
            c.send("delete " + p + "n\r\ndelete " + p + "n\r\nget " + p + "n\r\n");
            assertThat(c.readLike("DELETED\r\nNOT_FOUND\r\nEND\r\n")).isEqualTo("DELETED\r\nNOT_FOUND\r\nEND\r\n");
        }
    }

    @Test
    void versionAndQuitAreAnsweredByTheProxy() {
        try (RawClient c = fixture.client()) {
            c.send("version\r\n");
            assertThat(c.readLine()).startsWith("VERSION shardgate-");
            c.send("set " + p + "q 0 0 1\r\nq\r\nquit\r\nget " + p + "q\r\n");
            assertThat(c.readLike("STORED\r\n")).isEqualTo("STORED\r\n");
            assertThat(c.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void multiGetAcrossEveryServerInKeyOrderWithMissesAndDuplicates() {
        // Pick keys until every server owns several, so the merge really spans all of them.
        PoolRouter router = PoolRouter.forPool(fixture.pool());
        int servers = fixture.backends().size();
        int[] owned = new int[servers];
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 40 || java.util.Arrays.stream(owned).min().orElse(0) < 4; i++) {
            assertThat(i).as("keys for every server found").isLessThan(10_000);
            String key = p + i;
            byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            owned[router.serverFor(bytes, 0, bytes.length)]++;
            keys.add(key);
        }
        int n = keys.size();
        try (RawClient c = fixture.client()) {
            StringBuilder sets = new StringBuilder();
            for (int i = 0; i < n; i++) {
                if (i % 3 != 0) sets.append("set ").append(keys.get(i)).append(' ').append(i).append(" 0 ").append(("v" + i).length())
                        .append("\r\nv").append(i).append("\r\n");
            }
            c.send(sets.toString());
            for (int i = 0; i < n; i++) {
                if (i % 3 != 0) assertThat(c.readLine()).isEqualTo("STORED\r\n");
            }
            // ask in a scrambled order, with duplicates and misses
            List<Integer> order = new ArrayList<>();
            for (int i = n - 1; i >= 0; i -= 2) order.add(i);
            for (int i = n % 2; i < n; i += 2) order.add(i);
            order.add(5);
            order.add(5);
            order.add(0);
            StringBuilder get = new StringBuilder("get");
            StringBuilder expected = new StringBuilder();
            for (int i : order) {
                get.append(' ').append(keys.get(i));
                if (i % 3 != 0) {
                    expected.append("VALUE ").append(keys.get(i)).append(' ').append(i).append(' ').append(("v" + i).length())
                            .append("\r\nv").append(i).append("\r\n");
                }
            }
            expected.append("END\r\n");
            c.send(get + "\r\n");
            assertThat(c.readLike(expected.toString())).isEqualTo(expected.toString());
        }
        // the stored keys really are spread over every server
        Set<Integer> holders = new HashSet<>();
        for (int s = 0; s < servers; s++) {
            try (RawClient direct = RawClient.connect(fixture.backends().get(s).port())) {
                for (int i = 1; i < n; i++) {
                    if (i % 3 == 0) continue;
                    direct.send("get " + keys.get(i) + "\r\n");
                    if (direct.readLine().startsWith("VALUE")) {
                        holders.add(s);
                        direct.readLine();
                        direct.readLine();
                    }
                }
            }
        }
        assertThat(holders).hasSize(servers);
    }

    @Test
    void multiGetsOfSmallAndLargeValuesEitherSideOfTheMergeCopyLimit() {
        // four keys on every server; every fourth value is larger than MergedReply.COPY_LIMIT on its own
        PoolRouter router = PoolRouter.forPool(fixture.pool());
        int[] owned = new int[fixture.backends().size()];
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 4 * owned.length; i++) {
            assertThat(i).as("keys for every server found").isLessThan(10_000);
            String key = p + i;
            byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            int server = router.serverFor(bytes, 0, bytes.length);
            if (owned[server] < 4) {
                owned[server]++;
                keys.add(key);
            }
        }
        List<String> values = new ArrayList<>();
        try (RawClient c = fixture.client()) {
            for (int i = 0; i < keys.size(); i++) {
                int size = i % 4 == 1 ? 40_000 + i : 10 + i;
                StringBuilder value = new StringBuilder(size);
                for (int j = 0; j < size; j++) value.append((char) ('a' + (i + j) % 26));
                values.add(value.toString());
                c.send("set " + keys.get(i) + " " + i + " 0 " + size + "\r\n" + value + "\r\n");
                assertThat(c.readLine()).isEqualTo("STORED\r\n");
            }
            StringBuilder all = new StringBuilder("get");
            StringBuilder small = new StringBuilder("get");
            StringBuilder expectedAll = new StringBuilder();
            StringBuilder expectedSmall = new StringBuilder();
            for (int i = keys.size() - 1; i >= 0; i--) {
                String entry = "VALUE " + keys.get(i) + " " + i + " " + values.get(i).length() + "\r\n" + values.get(i) + "\r\n";
                all.append(' ').append(keys.get(i));
                expectedAll.append(entry);
                if (i % 4 != 1) {
                    small.append(' ').append(keys.get(i));
                    expectedSmall.append(entry);
                }
            }
            c.send(all + "\r\n" + small + "\r\n");
            String expected = expectedAll + "END\r\n" + expectedSmall + "END\r\n";
            assertThat(expectedAll.length()).isGreaterThan(io.shardgate.protocol.MergedReply.COPY_LIMIT);
            assertThat(expectedSmall.length()).isLessThan(io.shardgate.protocol.MergedReply.COPY_LIMIT);
            assertThat(c.readLike(expected)).isEqualTo(expected);
        }
    }

    @Test
    void noreplyThenOrdinaryCommandsOnOneConnection() {
        try (RawClient c = fixture.client()) {
            c.send("set " + p + "a 0 0 1 noreply\r\n1\r\nset " + p + "b 0 0 1 noreply\r\n2\r\nincr " + p + "a 5 noreply\r\n"
                    + "delete " + p + "b noreply\r\nget " + p + "a " + p + "b\r\n");
            String expected = "VALUE " + p + "a 0 1\r\n6\r\nEND\r\n";
            assertThat(c.readLike(expected)).isEqualTo(expected);
        }
    }

    @Test
    void tenThousandPipelinedRequestsInOneWriteAnsweredInOrder() {
        StringBuilder requests = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            String key = p + ((i / 4) % 500); // each group of four works on one key
            switch (i % 4) {
                case 0 -> {
                    requests.append("set ").append(key).append(" 0 0 ").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
                    expected.append("STORED\r\n");
                }
                case 1 -> {
                    requests.append("get ").append(key).append("\r\n");
                    expected.append("VALUE ").append(key).append(" 0 ").append(Integer.toString(i - 1).length()).append("\r\n")
                            .append(i - 1).append("\r\nEND\r\n");
                }
                case 2 -> {
                    requests.append("delete ").append(key).append("\r\n");
                    expected.append("DELETED\r\n");
                }
                default -> {
                    requests.append("get ").append(key).append(' ').append(p).append("x").append("\r\n");
                    expected.append("END\r\n");
                }
            }
        }
        try (RawClient c = fixture.client()) {
            var written = c.sendInBackground(requests.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(c.readLike(expected.toString())).isEqualTo(expected.toString());
            written.join();
        }
    }

    @Test
    void requestSentOneByteAtATime() {
        try (RawClient c = fixture.client()) {
            String request = "set " + p + "slow 3 0 5\r\nhello\r\nget " + p + "slow\r\n";
            for (byte b : request.getBytes()) c.send(new byte[] {b});
            String expected = "STORED\r\nVALUE " + p + "slow 3 5\r\nhello\r\nEND\r\n";
            assertThat(c.readLike(expected)).isEqualTo(expected);
        }
    }

    @Test
    void oneMebibyteValueAndAValueHoldingTheEndMarker() {
        byte[] big = new byte[1024 * 1024];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 + 7);
        try (RawClient c = fixture.client()) {
            c.send(("set " + p + "big 0 0 " + big.length + "\r\n").getBytes());
            c.send(big);
            c.send("\r\n".getBytes());
            assertThat(c.readLine()).isEqualTo("STORED\r\n");
            c.send("get " + p + "big\r\n");
            assertThat(c.readLine()).isEqualTo("VALUE " + p + "big 0 " + big.length + "\r\n");
            assertThat(c.read(big.length)).isEqualTo(big);
            assertThat(c.readLike("\r\nEND\r\n")).isEqualTo("\r\nEND\r\n");

            String tricky = "a\r\nEND\r\nVALUE x 0 1\r\n";
            c.send("set " + p + "t 0 0 " + tricky.length() + "\r\n" + tricky + "\r\nget " + p + "t " + p + "big2\r\n");
            String expected = "STORED\r\nVALUE " + p + "t 0 " + tricky.length() + "\r\n" + tricky + "\r\nEND\r\n";
            assertThat(c.readLike(expected)).isEqualTo(expected);
        }
    }

    @Test
    void emptyValue() {
        try (RawClient c = fixture.client()) {
            c.send("set " + p + "e 0 0 0\r\n\r\nget " + p + "e\r\n");
            String expected = "STORED\r\nVALUE " + p + "e 0 0\r\n\r\nEND\r\n";
            assertThat(c.readLike(expected)).isEqualTo(expected);
        }
    }

    @Test
    void valueOverTheLimitIsRefusedAndTheConnectionGoesOn() {
        try (RawClient c = fixture.client()) {
            byte[] tooBig = new byte[1024 * 1024 + 1];
            c.send(("set " + p + "huge 0 0 " + tooBig.length + "\r\n").getBytes());
            c.send(tooBig);
            c.send(("\r\nget " + p + "huge\r\n").getBytes());
            assertThat(c.readLike("SERVER_ERROR object too large for cache\r\nEND\r\n"))
                    .isEqualTo("SERVER_ERROR object too large for cache\r\nEND\r\n");
        }
    }

    @Test
    void badInputHarmsOnlyItsOwnConnection() {
        try (RawClient bystander = fixture.client(); RawClient before = fixture.client()) {
            bystander.send("set " + p + "safe 0 0 4\r\nsafe\r\n");
            assertThat(bystander.readLine()).isEqualTo("STORED\r\n");

            // recoverable errors: answered, and the same connection keeps working
            before.send("bogus\r\nget " + "k".repeat(251) + "\r\nincr " + p + "safe x\r\nshutdown\r\nget " + p + "safe\r\n");
            String expected = "ERROR\r\nCLIENT_ERROR bad command line format\r\nCLIENT_ERROR invalid numeric delta argument\r\n"
                    + "CLIENT_ERROR shutdown is not supported by shardgate\r\nVALUE " + p + "safe 0 4\r\nsafe\r\nEND\r\n";
            assertThat(before.readLike(expected)).isEqualTo(expected);

            // an unrecoverable framing error closes only that client
            try (RawClient broken = fixture.client()) {
                broken.send("set " + p + "safe 0 0 2\r\nxyz\r\nset " + p + "safe 0 0 1\r\nX\r\n");
                assertThat(broken.readLine()).isEqualTo("CLIENT_ERROR bad data chunk\r\n");
                assertThat(broken.isClosedByPeer()).isTrue();
            }
            try (RawClient tooLong = fixture.client()) {
                tooLong.send("set " + "x".repeat(5000));
                assertThat(tooLong.readLine()).isEqualTo("CLIENT_ERROR line too long\r\n");
                assertThat(tooLong.isClosedByPeer()).isTrue();
            }

            // the others were not affected, and the data is intact
            bystander.send("get " + p + "safe\r\n");
            String safe = "VALUE " + p + "safe 0 4\r\nsafe\r\nEND\r\n";
            assertThat(bystander.readLike(safe)).isEqualTo(safe);
            try (RawClient after = fixture.client()) {
                after.send("get " + p + "safe\r\n");
                assertThat(after.readLike(safe)).isEqualTo(safe);
            }
        }
    }
}
