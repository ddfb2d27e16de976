package io.shardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.PoolConfig;
import io.shardgate.protocol.FailureReasons;
import io.shardgate.protocol.ReplyWaiter;
import io.shardgate.protocol.memcache.MemcacheProtocol;
import io.shardgate.routing.PoolRouter;
import io.shardgate.stats.PoolCounters;
import io.shardgate.testsupport.FakeServer;
import io.shardgate.testsupport.FreePorts;
import io.shardgate.transport.FlushBatcher;
import io.shardgate.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A server link over a real loopback socket to a server that never answers, or to no server at all. */
class ServerLinkTest {
    private static final int MAX_IN_FLIGHT = 4;

    private final EventLoopGroup group = Transport.NIO.newGroup(1, new DefaultThreadFactory("link-test", true));
    private final EventLoop loop = group.next();
    private PoolHealth health;

    @AfterEach
    void stop() {
        if (health != null) health.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ServerLink link(int port) throws Exception {
        PoolConfig pool = ConfigLoader.parse("p:\n  listen: 127.0.0.1:22121\n  servers:\n   - 127.0.0.1:" + port + ":1\n",
                Path.of("t.yml")).pools().get(0);
        MemcacheProtocol protocol = new MemcacheProtocol(pool, 1 << 20);
        health = new PoolHealth(pool, PoolRouter.forPool(pool), loop, protocol.healthProbe());
        return new ServerLink(new ServerLink.Settings(0, pool.servers().get(0), protocol, loop, Transport.NIO,
                new FlushBatcher(loop), health, 1_000, false, PoolCounters.detached(pool).server(0), MAX_IN_FLIGHT));
    }

    @Test
    void pastItsInFlightBoundANewRequestFailsAtOnceAndTheOthersKeepWaiting() throws Exception {
        try (FakeServer silent = FakeServer.start(FakeServer.Behaviour.SILENT)) {
            ServerLink link = link(silent.port());
            on(() -> { link.connect(); return null; });
            awaitTrue(() -> stateOf(link) == LinkState.READY);
            List<Recorded> waiters = new ArrayList<>();
            for (int i = 0; i < MAX_IN_FLIGHT + 3; i++) waiters.add(new Recorded());
            on(() -> {
                for (Recorded w : waiters) link.send(request(), w);
                return null;
            });
            assertThat(on(link::inFlightCount)).isEqualTo(MAX_IN_FLIGHT);
            for (int i = 0; i < waiters.size(); i++) {
                Recorded w = waiters.get(i);
                if (i < MAX_IN_FLIGHT) {
                    assertThat(w.failure).as("request %d is within the bound", i).isNull();
                } else {
                    assertThat(w.failure).as("request %d is past the bound", i).isEqualTo(FailureReasons.TOO_MANY_QUEUED);
                }
            }
            on(() -> { link.shutdown("proxy shutting down"); return null; });
            awaitTrue(() -> waiters.get(0).failure != null);
            assertThat(waiters.subList(0, MAX_IN_FLIGHT)).allMatch(w -> "proxy shutting down".equals(w.failure));
            assertThat(on(link::state)).isEqualTo(new LinkState.Closed("proxy shutting down"));
        }
    }

    @Test
    void aRefusedConnectBacksOffAndRequestsDuringTheBackoffFailFastWithTheReason() throws Exception {
        int closedPort = FreePorts.next();
        ServerLink link = link(closedPort);
        Recorded first = new Recorded();
        on(() -> { link.send(request(), first); return null; });
        awaitTrue(() -> first.failure != null);
        assertThat(first.failure).isEqualTo(FailureReasons.CONNECTION_REFUSED);
        assertThat(on(link::state)).isInstanceOf(LinkState.BackingOff.class);
        Recorded during = new Recorded();
        on(() -> { link.send(request(), during); return null; });
        assertThat(during.failure).as("failed on the spot, no connect").isEqualTo(FailureReasons.CONNECTION_REFUSED);
    }

    private static ByteBuf request() {
        return Unpooled.copiedBuffer("get k\r\n", StandardCharsets.US_ASCII);
    }

    private <T> T on(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private LinkState stateOf(ServerLink link) {
        try {
            return on(link::state);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(5);
        }
    }

    private static final class Recorded implements ReplyWaiter {
        volatile String failure;

        @Override
        public void onReply(ByteBuf frame) {
            frame.release();
            throw new AssertionError("the server never answers");
        }

        @Override
        public void onFailure(String reason) {
            failure = reason;
        }
    }
}
