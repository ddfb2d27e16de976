package io.shardgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.shardgate.testsupport.ExternalServer;
import io.shardgate.testsupport.FakeServer;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.testsupport.MemcachedServer;
import io.shardgate.testsupport.RawClient;
import io.shardgate.testsupport.RedisServer;
import io.shardgate.testsupport.RunningProxy;
import io.shardgate.testsupport.Started;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods and slow peers against the proxy in this JVM: a client that pipelines a million requests and never reads,
 * a flood of connections beyond {@code client_connections}, a backend that accepts and never reads. The proxy's
 * memory stays under a stated bound, other clients keep being answered within the timeout, and it recovers when the
 * flood ends. BackpressureIT covers few large replies to a client that does not read; this is a million small ones.
 */
class FloodIT {
    private static final int TIMEOUT_MS = 1_000;
    /** Generous for a shared two-core machine, as in ServerFailureIT: what matters is that nothing hangs. */
    private static final int MARGIN_MS = 1_200;
    /** Heap and direct memory the proxy may grow by while held back (the bound the docs state). */
    private static final long MEMORY_BOUND = 64L << 20;

    private final Started started = new Started();

    @AfterEach
    void closeAll() throws Exception {
        started.close();
    }

    private static String yaml(String extra, boolean redis, List<? extends ExternalServer> servers) {
        StringBuilder b = new StringBuilder("pool:\n  listen: 127.0.0.1:" + FreePorts.next() + "\n  timeout: " + TIMEOUT_MS
                + "\n  redis: " + redis + "\n" + extra + "  servers:\n");
        for (ExternalServer s : servers) b.append("   - ").append(s.address()).append(":1\n");
        return b.toString();
    }

    /** The protocol-specific parts of the flood test. */
    private record Dialect(String setFlood, String setFloodReply, String floodRequest,
            Function<Integer, String[]> roundTrip, ToLongFunction<ExternalServer> requestsServed) {}

    private static final String VALUE = "v".repeat(1000);

    private static final Dialect MEMCACHED = new Dialect(
            "set flood 0 0 1000\r\n" + VALUE + "\r\n", "STORED\r\n", "get flood\r\n",
            i -> new String[] {"set k" + i + " 0 0 2\r\nok\r\nget k" + i + "\r\n", "STORED\r\nVALUE k" + i + " 0 2\r\nok\r\nEND\r\n"},
            s -> stat(s, "stats\r\n", "STAT cmd_get (\\d+)"));

    private static final Dialect REDIS = new Dialect(
            resp("SET", "flood", VALUE), "+OK\r\n", resp("GET", "flood"),
            i -> new String[] {resp("SET", "k" + i, "ok") + resp("GET", "k" + i), "+OK\r\n$2\r\nok\r\n"},
            s -> stat(s, resp("INFO", "stats"), "total_commands_processed:(\\d+)"));

    private static String resp(String... words) {
        StringBuilder b = new StringBuilder("*" + words.length + "\r\n");
        for (String w : words) b.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
        return b.toString();
    }

    /** A counter read straight from a backend: memcached's {@code stats} up to END, redis's INFO bulk string. */
    private static long stat(ExternalServer server, String ask, String pattern) {
        try (RawClient direct = RawClient.connect(server.port())) {
            direct.send(ask);
            String text;
            if (ask.startsWith("*")) {
                String header = direct.readLine();
                text = new String(direct.read(Integer.parseInt(header.substring(1).trim()) + 2), StandardCharsets.ISO_8859_1);
            } else {
                text = direct.readUntil("END\r\n", 1_000_000);
            }
            Matcher m = Pattern.compile(pattern).matcher(text);
            assertThat(m.find()).as(text).isTrue();
            return Long.parseLong(m.group(1));
        }
    }

    @Test
    void aMillionPipelinedMemcachedGetsNeverReadAreHeldBackWhileOthersAreServed() throws Exception {
        List<MemcachedServer> servers = List.of(started.add(MemcachedServer.start()), started.add(MemcachedServer.start()));
        floodWithoutReading(MEMCACHED, servers, started.add(RunningProxy.start(yaml("", false, servers))));
    }

    @Test
    void aMillionPipelinedRedisGetsNeverReadAreHeldBackWhileOthersAreServed() throws Exception {
        List<RedisServer> servers = List.of(started.add(RedisServer.start()), started.add(RedisServer.start()));
        floodWithoutReading(REDIS, servers, started.add(RunningProxy.start(yaml("", true, servers))));
    }

    private void floodWithoutReading(Dialect d, List<? extends ExternalServer> servers, RunningProxy proxy) throws Exception {
        try (RawClient setup = proxy.client()) {
            setup.send(d.setFlood());
            assertThat(setup.readLike(d.setFloodReply())).isEqualTo(d.setFloodReply());
        }
        byte[] pipeline = d.floodRequest().repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
        long[] before = roundTrips(proxy, d, 200, "before");
        long heapBefore = heapAfterGc();
        long directBefore = usedDirect();
        long servedBefore = servers.stream().mapToLong(d.requestsServed()).sum();

        Socket flood = new Socket();
        flood.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2_000);
        Thread writer = new Thread(() -> {
            try {
                flood.getOutputStream().write(pipeline); // blocks for good once the proxy stops reading
            } catch (IOException closed) {
                // the test closed the socket
            }
        }, "flood-writer");
        writer.setDaemon(true);
        writer.start();
        try {
            Thread.sleep(2_000); // let it push as far as the proxy lets it
            long[] during = roundTrips(proxy, d, 200, "during");
            long heapDuring = heapAfterGc();
            long directDuring = usedDirect();
            Thread.sleep(1_000);
            long forwarded = servers.stream().mapToLong(d.requestsServed()).sum() - servedBefore;
            System.out.printf(Locale.ROOT, "flood of %,d pipelined requests never read: %,d forwarded; proxy heap %+.1f MB, "
                            + "direct %+.1f MB; other clients' round trips p50/p99/max %s ms before, %s ms during%n",
                    1_000_000, forwarded, (heapDuring - heapBefore) / 1e6, (directDuring - directBefore) / 1e6,
                    summary(before), summary(during));
            assertThat(forwarded).as("requests the proxy forwarded for the client that does not read").isLessThan(100_000);
            assertThat(heapDuring - heapBefore).as("heap growth (bytes)").isLessThan(MEMORY_BOUND);
            assertThat(directDuring - directBefore).as("direct memory growth (bytes)").isLessThan(MEMORY_BOUND);
            assertThat(during[during.length - 1]).as("slowest round trip of another client during the flood (ms)")
                    .isLessThan(TIMEOUT_MS);
        } finally {
            flood.close();
            writer.join(5_000);
        }
        roundTrips(proxy, d, 20, "after"); // and the proxy is fine afterwards
    }

    /** {@code n} set-and-get round trips on a fresh connection, each verified; their latencies in ms, sorted. */
    private static long[] roundTrips(RunningProxy proxy, Dialect d, int n, String when) {
        long[] ms = new long[n];
        try (RawClient c = proxy.client()) {
            for (int i = 0; i < n; i++) {
                String[] trip = d.roundTrip().apply(i);
                long start = System.nanoTime();
                c.send(trip[0]);
                assertThat(c.readLike(trip[1])).as("round trip %d %s the flood", i, when).isEqualTo(trip[1]);
                ms[i] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static String summary(long[] sorted) {
        return sorted[sorted.length / 2] + "/" + sorted[sorted.length * 99 / 100] + "/" + sorted[sorted.length - 1];
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Direct memory held by live buffers of the proxy's allocator (the pooled arenas' chunks are in use). */
    private static long usedDirect() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    @Test
    void aFloodOfConnectionsBeyondClientConnectionsIsRefusedWhileExistingClientsAreServed() throws Exception {
        MemcachedServer server = started.add(MemcachedServer.start());
        RunningProxy proxy = started.add(RunningProxy.start(yaml("  client_connections: 50\n", false, List.of(server))));
        // ten clients keep making round trips through the flood
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong trips = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        List<RawClient> existing = new ArrayList<>();
        for (int t = 0; t < 10; t++) existing.add(started.add(proxy.client()));
        for (int t = 0; t < 10; t++) {
            RawClient c = existing.get(t);
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; !stop.get() && i < 1_000_000; i++) {
                    String[] trip = MEMCACHED.roundTrip().apply(id * 1_000_000 + i);
                    try {
                        long start = System.nanoTime();
                        c.send(trip[0]);
                        String got = c.readLike(trip[1]);
                        long ms = (System.nanoTime() - start) / 1_000_000;
                        if (!got.equals(trip[1])) failures.add("client " + id + " got " + got);
                        if (ms >= TIMEOUT_MS) failures.add("client " + id + " waited " + ms + " ms");
                        trips.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add("client " + id + ": " + e);
                        return;
                    }
                }
            }, "existing-client-" + t);
            th.start();
            clients.add(th);
        }
        Thread.sleep(300);
        long tripsBefore = trips.get();
        // 1,000 more connections: 40 fit under the limit, the rest are told so and closed
        List<Socket> flood = new ArrayList<>();
        int refused = 0;
        int admitted = 0;
        try {
            for (int i = 0; i < 1_000; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2_000);
                flood.add(s);
            }
            for (Socket s : flood) {
                s.setSoTimeout(200);
                String first = readSome(s);
                if (first.equals("SERVER_ERROR Too many client connections\r\n<closed>")) refused++;
                else if (first.isEmpty()) admitted++; // admitted: the proxy waits for its requests
                else failures.add("a flood connection got: " + first);
            }
            long tripsDuring = trips.get() - tripsBefore;
            System.out.printf(Locale.ROOT, "connection flood: %d refused, %d admitted; %d round trips of the existing "
                    + "clients meanwhile%n", refused, admitted, tripsDuring);
            assertThat(admitted).as("admitted up to client_connections (50) with the 10 existing").isEqualTo(40);
            assertThat(refused).isEqualTo(960);
            assertThat(tripsDuring).as("existing clients kept being served").isPositive();
        } finally {
            for (Socket s : flood) s.close();
        }
        // recovery: once the flood has gone there is room again
        String reply = "";
        for (int attempt = 0; attempt < 50 && !reply.startsWith("VERSION"); attempt++) {
            Thread.sleep(50);
            try (RawClient again = proxy.client()) {
                again.send("version\r\n");
                reply = again.readLine();
            } catch (RuntimeException e) {
                reply = e.toString();
            }
        }
        stop.set(true);
        for (Thread th : clients) th.join(10_000);
        assertThat(reply).startsWith("VERSION");
        assertThat(failures).isEmpty();
    }

    /** What a connection received within its read timeout, with {@code <closed>} if it then ended. */
    private static String readSome(Socket s) throws IOException {
        StringBuilder b = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[256];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            b.append("<closed>");
        } catch (java.net.SocketTimeoutException quiet) {
            // nothing more
        } catch (IOException reset) {
            b.append("<reset>");
        }
        return b.toString();
    }

    @Test
    void aBackendThatNeverReadsFailsRequestsWithinTheTimeoutAndMemoryStaysBounded() throws Exception {
        FakeServer deaf = started.add(FakeServer.start(FakeServer.Behaviour.NEVER_READS));
        RunningProxy proxy = started.add(RunningProxy.start("pool:\n  listen: 127.0.0.1:" + FreePorts.next()
                + "\n  timeout: " + TIMEOUT_MS + "\n  servers:\n   - 127.0.0.1:" + deaf.port() + ":1\n"));
        long directBefore = usedDirect();
        // four clients pipeline sets of 16 KiB values as fast as the proxy takes them: each owes at most 512 replies,
        // so the proxy holds at most 4 x 512 x 16 KiB = 32 MiB of their requests for the backend, plus its buffers
        String value = "x".repeat(16 * 1024);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong peakDirect = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong answered = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 2_000);
            s.setSoTimeout(10_000);
            sockets.add(s);
            ConcurrentLinkedQueue<Long> sent = new ConcurrentLinkedQueue<>();
            byte[] request = ("set k" + t + " 0 0 " + value.length() + "\r\n" + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    while (!stop.get()) {
                        sent.add(System.nanoTime());
                        out.write(request);
                    }
                } catch (IOException closed) {
                    // closed at the end
                }
            });
            Thread reader = new Thread(() -> {
                byte[] expected = "SERVER_ERROR Connection timed out\r\n".getBytes(StandardCharsets.US_ASCII);
                try {
                    InputStream in = s.getInputStream();
                    byte[] line = new byte[expected.length];
                    while (true) {
                        int off = 0;
                        while (off < line.length) {
                            int n = in.read(line, off, line.length - off);
                            if (n < 0) return;
                            off += n;
                        }
                        Long at = sent.poll();
                        long ms = at == null ? 0 : (System.nanoTime() - at) / 1_000_000;
                        slowest.accumulateAndGet(ms, Math::max);
                        answered.incrementAndGet();
                        if (!Arrays.equals(line, expected)) failures.add(new String(line, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    if (!stop.get()) failures.add(e.toString());
                }
            });
            writer.start();
            reader.start();
            threads.add(writer);
            threads.add(reader);
        }
        // beside them, a client that sends one set at a time: each fails within the timeout
        long[] politeMs = new long[8];
        long peakFirstHalf = 0;
        long peakSecondHalf = 0;
        try (RawClient polite = proxy.client()) {
            long halfway = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            for (int i = 0; i < politeMs.length; i++) {
                long start = System.nanoTime();
                polite.send("set polite 0 0 1\r\nx\r\n");
                assertThat(polite.readLine()).isEqualTo("SERVER_ERROR Connection timed out\r\n");
                politeMs[i] = (System.nanoTime() - start) / 1_000_000;
                long direct = usedDirect();
                peakDirect.accumulateAndGet(direct, Math::max);
                if (System.nanoTime() < halfway) peakFirstHalf = Math.max(peakFirstHalf, direct);
                else peakSecondHalf = Math.max(peakSecondHalf, direct);
            }
        }
        Arrays.sort(politeMs);
        stop.set(true);
        Thread.sleep(TIMEOUT_MS + 500); // what was in flight times out too
        for (Socket s : sockets) s.close();
        for (Thread t : threads) t.join(5_000);
        System.out.printf(Locale.ROOT, "backend that never reads: %d pipelined sets answered with the timeout error "
                + "(the slowest %d ms after it was written, time held in socket buffers while the proxy did not read "
                + "included); a client sending one at a time waited %s ms (p50/p99/max); proxy direct memory peak %+.1f MB "
                + "(%+.1f MB in the first half, %+.1f MB in the second)%n",
                answered.get(), slowest.get(), summary(politeMs), (peakDirect.get() - directBefore) / 1e6,
                (peakFirstHalf - directBefore) / 1e6, (peakSecondHalf - directBefore) / 1e6);
        assertThat(politeMs[politeMs.length - 1]).as("a request fails within the timeout (+ a generous margin)")
                .isLessThan(TIMEOUT_MS + MARGIN_MS);
        // The halves are printed, not compared: the pooled allocator counts whole 4 MiB chunks, and a chunk kept
        // by one live slice counts in full, so over 8 s the figure steps between 8 and 34 MB (epoll, CI) without any
        // leak. A leak (each timed-out set's 16 KiB kept) would pass the bound below within a few seconds (some 30 MB a second here); the leak
        // detector (PARANOID) catches any buffer never released.
        assertThat(failures).as("every set is answered with the timeout error").isEmpty();
        assertThat(answered.get()).as("sets answered").isPositive();
        assertThat(peakDirect.get() - directBefore).as("direct memory growth (bytes)").isLessThan(MEMORY_BOUND);
    }
}
