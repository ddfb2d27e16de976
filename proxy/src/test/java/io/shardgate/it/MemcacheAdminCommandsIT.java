package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.shardgate.config.PoolConfig;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.ProxyFixture;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.TestPools;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * memcached's server commands through the proxy, against real memcached servers: flush_all reaches every server,
 * stats answers with the proxy's figures in memcached's format, verbosity and version answer as memcached 1.6.
 */
class MemcacheAdminCommandsIT {
    private static ProxyFixture fixture;

    @BeforeAll
    static void start() throws InterruptedException {
        fixture = ProxyFixture.memcache(3);
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
    }

    /** Stores enough keys through the proxy that every server holds some; returns them. */
    private static List<String> fillEveryServer(RawClient c, String prefix, List<MemcachedServer> servers) {
        List<String> keys = new java.util.ArrayList<>();
        // fnv1a_64 spreads short keys that differ in one digit poorly: vary them more
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 100; i++) keys.add(prefix + Long.toHexString(random.nextLong()));
        for (String k : keys) {
            c.send("set " + k + " 0 0 1\r\nv\r\n");
            assertThat(c.readLine()).isEqualTo("STORED\r\n");
        }
        for (MemcachedServer server : servers) assertThat(countPresent(server, keys)).as(server.address()).isPositive();
        return keys;
    }

    private static int countPresent(MemcachedServer server, List<String> keys) {
        int present = 0;
        try (RawClient direct = RawClient.connect(server.port())) {
            for (String k : keys) {
                direct.send("get " + k + "\r\n");
                if (direct.readUntil("END\r\n", 1000).startsWith("VALUE ")) present++;
            }
        }
        return present;
    }

    @Test
    void flushAllEmptiesEveryServerOfThePoolAndAnswersOnce() {
        ListAppender<ILoggingEvent> log = capture();
        try (RawClient c = fixture.client()) {
            List<String> keys = fillEveryServer(c, "flush:", fixture.backends());
            c.send("flush_all\r\nversion\r\n");
            assertThat(c.readLine()).isEqualTo("OK\r\n");
            assertThat(c.readLine()).startsWith("VERSION shardgate-");
            for (MemcachedServer server : fixture.backends()) assertThat(countPresent(server, keys)).isZero();
        } finally {
            release(log);
        }
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .matches("pool 'test': flush_all from /127\\.0\\.0\\.1:\\d+ sent to 3 server\\(s\\)"));
    }

    @Test
    void flushAllNoreplyIsSilentAndStillFlushesEveryServer() {
        try (RawClient c = fixture.client()) {
            List<String> keys = fillEveryServer(c, "flushq:", fixture.backends());
            c.send("flush_all noreply\r\nversion\r\n");
            assertThat(c.readLine()).startsWith("VERSION shardgate-");
            for (MemcachedServer server : fixture.backends()) assertThat(countPresent(server, keys)).isZero();
        }
    }

    @Test
    void flushAllPassesItsDelayToEveryServer() throws InterruptedException {
        try (RawClient c = fixture.client()) {
            List<String> keys = fillEveryServer(c, "flushd:", fixture.backends());
            c.send("flush_all 4\r\n");
            assertThat(c.readLine()).isEqualTo("OK\r\n");
            java.time.Instant flushed = java.time.Instant.now();
            int total = 0;
            for (MemcachedServer server : fixture.backends()) total += countPresent(server, keys);
            assertThat(total).as("nothing is flushed before the delay").isEqualTo(keys.size());
            long waited = java.time.Duration.between(flushed, java.time.Instant.now()).toMillis();
            Thread.sleep(Math.max(0, 5_200 - waited)); // memcached's clock has a one-second resolution
            for (MemcachedServer server : fixture.backends()) assertThat(countPresent(server, keys)).isZero();
        }
    }

    @Test
    void flushAllNamesAServerThatFailedAndStillFlushesTheOthers() throws InterruptedException {
        try (ProxyFixture twoServers = ProxyFixture.memcache(2, servers -> TestPools.memcache("dead", servers, 1_000))) {
            MemcachedServer alive = twoServers.backends().get(0);
            MemcachedServer dead = twoServers.backends().get(1);
            try (RawClient direct = RawClient.connect(alive.port())) {
                direct.send("set survivor 0 0 1\r\nv\r\n");
                assertThat(direct.readLine()).isEqualTo("STORED\r\n");
            }
            dead.close();
            try (RawClient c = twoServers.client()) {
                c.send("flush_all\r\nversion\r\n");
                assertThat(c.readLine()).isEqualTo(
                        "SERVER_ERROR flush_all failed on 127.0.0.1:" + dead.port() + ": Connection refused\r\n");
                assertThat(c.readLine()).startsWith("VERSION shardgate-");
            }
            assertThat(countPresent(alive, List.of("survivor"))).isZero();
        }
    }

    @Test
    void aPoolCanRefuseFlushAll() throws InterruptedException {
        try (ProxyFixture guarded = ProxyFixture.memcache(2, servers -> noFlush(TestPools.memcache("guarded", servers)))) {
            try (RawClient c = guarded.client()) {
                c.send("set kept 0 0 1\r\nv\r\nflush_all\r\nflush_all noreply\r\nget kept\r\n");
                assertThat(c.readLike("STORED\r\nCLIENT_ERROR flush_all not allowed\r\nVALUE kept 0 1\r\nv\r\nEND\r\n"))
                        .isEqualTo("STORED\r\nCLIENT_ERROR flush_all not allowed\r\nVALUE kept 0 1\r\nv\r\nEND\r\n");
                c.send("stats settings\r\n");
                assertThat(c.readUntil("END\r\n", 4000)).contains("STAT flush_enabled no\r\n");
            }
        }
    }

    private static PoolConfig noFlush(PoolConfig p) {
        return new PoolConfig(p.name(), p.listen(), p.hash(), p.hashTag(), p.distribution(), p.timeoutMs(), p.backlog(),
                p.clientConnections(), p.redis(), p.redisAuth(), p.redisDb(), p.preconnect(), p.autoEjectHosts(),
                p.serverConnections(), p.serverRetryTimeoutMs(), p.serverFailureLimit(), p.tcpKeepalive(), p.servers(),
                p.failurePolicy(), false);
    }

    @Test
    void statsAnswersWithTheProxysFiguresInMemcachedsFormat() {
        try (RawClient c = fixture.client()) {
            long before = stat(c, "cmd_get");
            c.send("get a\r\nget b c\r\ngets d\r\n");
            c.readUntil("END\r\n", 100);
            c.readUntil("END\r\n", 100);
            c.readUntil("END\r\n", 100);
            String stats = readStats(c, "stats");
            assertThat(stats).startsWith("STAT pid " + ProcessHandle.current().pid() + "\r\nSTAT uptime ");
            assertThat(stats).contains("STAT version shardgate-", "STAT curr_connections ", "STAT threads 2\r\n",
                    "STAT servers 3\r\n", "STAT servers_ejected 0\r\n", "STAT forward_error ");
            assertThat(stats).endsWith("END\r\n");
            assertThat(value(stats, "cmd_get")).isEqualTo(before + 3);
            assertThat(value(stats, "curr_connections")).isPositive();
            for (String line : stats.split("\r\n")) assertThat(line).matches("STAT [a-z_:0-9.]+ \\S+|END");
        }
    }

    @Test
    void statsGroups() {
        try (RawClient c = fixture.client()) {
            String settings = readStats(c, "stats settings");
            assertThat(settings).contains("STAT pool test\r\n", "STAT hash fnv1a_64\r\n", "STAT distribution ketama\r\n",
                    "STAT servers 3\r\n", "STAT flush_enabled yes\r\n", "STAT item_size_max 1048576\r\n");
            String servers = readStats(c, "stats servers");
            for (MemcachedServer server : fixture.backends()) {
                assertThat(servers).contains("STAT " + server.address() + ":requests ");
            }
            c.send("stats items\r\nstats slabs\r\nstats detail on\r\nstats bogus\r\nstats noreply\r\nversion\r\n");
            assertThat(c.readLine()).isEqualTo("END\r\n");
            assertThat(c.readLine()).isEqualTo("END\r\n");
            assertThat(c.readLine()).isEqualTo("CLIENT_ERROR stats detail is not supported by shardgate\r\n");
            assertThat(c.readLine()).isEqualTo("ERROR\r\n");
            assertThat(c.readLine()).isEqualTo("ERROR\r\n");
            assertThat(c.readLine()).startsWith("VERSION ");
        }
    }

    @Test
    void verbosityVersionAndServerOnlyCommandsAnswerAsMemcached16AndNeverReachAServer() {
        long requestsBefore = totalServerRequests();
        try (RawClient c = fixture.client()) {
            c.send("verbosity 1\r\nverbosity 0 noreply\r\nverbosity\r\nversion foo bar\r\nversion noreply\r\n"
                    + "shutdown\r\ncache_memlimit 10\r\nslabs reassign 1 2\r\nwatch\r\nlru_crawler metadump all\r\n"
                    + "mn\r\n");
            assertThat(c.readLine()).isEqualTo("OK\r\n");
            assertThat(c.readLine()).isEqualTo("ERROR\r\n");
            assertThat(c.readLine()).startsWith("VERSION shardgate-");
            assertThat(c.readLine()).startsWith("VERSION shardgate-");
            for (String command : List.of("shutdown", "cache_memlimit", "slabs", "watch", "lru_crawler")) {
                assertThat(c.readLine()).isEqualTo("CLIENT_ERROR " + command + " is not supported by shardgate\r\n");
            }
            assertThat(c.readLine()).isEqualTo("MN\r\n");
        }
        assertThat(totalServerRequests()).isEqualTo(requestsBefore);
    }

    private static long totalServerRequests() {
        try (RawClient c = fixture.client()) {
            return value(readStats(c, "stats"), "requests");
        }
    }

    private static String readStats(RawClient c, String command) {
        c.send(command + "\r\n");
        return c.readUntil("END\r\n", 64 * 1024);
    }

    private static long stat(RawClient c, String name) {
        return value(readStats(c, "stats"), name);
    }

    private static long value(String stats, String name) {
        Matcher m = Pattern.compile("STAT " + Pattern.quote(name) + " (\\d+)\r\n").matcher(stats);
        assertThat(m.find()).as(name + " in " + stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("io.shardgate.protocol.memcache.FlushAll")).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger("io.shardgate.protocol.memcache.FlushAll")).detachAppender(appender);
    }
}
