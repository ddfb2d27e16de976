package io.shardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.shardgate.config.ConfigLoader;
import io.shardgate.config.PoolConfig;
import io.shardgate.routing.PoolRouter;
import io.shardgate.stats.ServerHealth;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolHealthTest {
    private final DefaultEventExecutor timer = new DefaultEventExecutor();

    @AfterEach
    void stop() {
        timer.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static PoolConfig pool(String extra) throws Exception {
        return ConfigLoader.parse("p:\n  listen: 127.0.0.1:22121\n  auto_eject_hosts: true\n" + extra
                + "  servers:\n   - 127.0.0.1:1:1\n   - 127.0.0.1:2:1\n", Path.of("t.yml")).pools().get(0);
    }

    @Test
    void ejectsAtTheLimitOfConsecutiveFailuresAndReadmitsAfterTheRetryTimeout() throws Exception {
        PoolConfig pool = pool("  server_failure_limit: 3\n  server_retry_timeout: 200\n");
        PoolRouter router = PoolRouter.forPool(pool);
        PoolHealth health = new PoolHealth(pool, router, timer, null);
        health.failure(0, "x");
        health.failure(0, "x");
        health.success(0); // a reply resets the count
        health.failure(0, "x");
        health.failure(0, "x");
        assertThat(router.isEjected(0)).isFalse();
        health.failure(0, "x");
        assertThat(router.isEjected(0)).isTrue();
        assertThat(health.isDown(0)).as("rehash moves keys; nothing is 'down'").isFalse();
        awaitTrue(() -> !router.isEjected(0), 2000);
    }

    @Test
    void stateSaysWhenAnEjectionBeganAndWhenTheServerIsTriedAgain() throws Exception {
        PoolConfig pool = pool("  server_failure_limit: 2\n  server_retry_timeout: 300\n");
        PoolRouter router = PoolRouter.forPool(pool);
        PoolHealth health = new PoolHealth(pool, router, timer, null);
        assertThat(health.state(0)).isEqualTo(ServerHealth.UP);
        health.failure(0, "x");
        assertThat(health.state(0)).isEqualTo(new ServerHealth(1, false, 0, 0)); // one of two towards ejection
        long before = System.currentTimeMillis();
        health.failure(0, "x");
        long after = System.currentTimeMillis();
        ServerHealth out = health.state(0);
        assertThat(out.ejected()).isTrue();
        assertThat(out.ejectedAtMillis()).isBetween(before, after);
        assertThat(out.retryAtMillis()).isEqualTo(out.ejectedAtMillis() + 300);
        assertThat(health.state(1)).isEqualTo(ServerHealth.UP);
        awaitTrue(() -> !health.state(0).ejected(), 2000);
        assertThat(health.state(0)).isEqualTo(ServerHealth.UP);
    }

    @Test
    void aServerDownUnderTheFailPolicyIsEjectedInItsState() throws Exception {
        PoolConfig pool = pool("  server_failure_limit: 1\n  server_retry_timeout: 60000\n  eject_policy: fail\n");
        PoolRouter router = PoolRouter.forPool(pool);
        PoolHealth health = new PoolHealth(pool, router, timer, null);
        health.failure(1, "x");
        assertThat(router.isEjected(1)).as("keys stay in place").isFalse();
        assertThat(health.state(1).ejected()).isTrue();
        assertThat(health.state(1).retryAtMillis() - health.state(1).ejectedAtMillis()).isEqualTo(60_000);
    }

    @Test
    void withoutAutoEjectNothingIsEjected() throws Exception {
        PoolConfig pool = ConfigLoader.parse("p:\n  listen: 127.0.0.1:22121\n  server_failure_limit: 1\n"
                + "  servers:\n   - 127.0.0.1:1:1\n   - 127.0.0.1:2:1\n", Path.of("t.yml")).pools().get(0);
        PoolRouter router = PoolRouter.forPool(pool);
        PoolHealth health = new PoolHealth(pool, router, timer, null);
        for (int i = 0; i < 10; i++) health.failure(0, "x");
        assertThat(router.isEjected(0)).isFalse();
    }

    @Test
    void failPolicyKeepsKeysInPlaceAndMarksTheServerDown() throws Exception {
        PoolConfig pool = pool("  server_failure_limit: 1\n  server_retry_timeout: 200\n  eject_policy: fail\n");
        PoolRouter router = PoolRouter.forPool(pool);
        PoolHealth health = new PoolHealth(pool, router, timer, null);
        health.failure(1, "x");
        assertThat(router.isEjected(1)).isFalse();
        assertThat(health.isDown(1)).isTrue();
        awaitTrue(() -> !health.isDown(1), 2000);
    }

    @Test
    void flapDampingDoublesHowLongAServerEjectedSoonAfterItsReturnStaysOut() throws Exception {
        PoolConfig pool = pool("  server_failure_limit: 1\n  server_retry_timeout: 150\n  flap_damping: true\n");
        PoolRouter router = PoolRouter.forPool(pool);
        PoolHealth health = new PoolHealth(pool, router, timer, null);
        health.failure(0, "x");
        awaitTrue(() -> !router.isEjected(0), 2000); // back after ~150 ms
        long start = System.nanoTime();
        health.failure(0, "x"); // ejected again right after coming back: out for 2 x 150 ms
        assertThat(router.isEjected(0)).isTrue();
        Thread.sleep(200);
        assertThat(router.isEjected(0)).as("still out after the plain retry timeout").isTrue();
        awaitTrue(() -> !router.isEjected(0), 2000);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(280);
    }

    @Test
    void probeKeepsADeadServerOutAndBacksOff() throws Exception {
        PoolConfig pool = pool("  server_failure_limit: 1\n  server_retry_timeout: 100\n  readmit_probe: true\n");
        PoolRouter router = PoolRouter.forPool(pool);
        // 127.0.0.1:1 refuses connections, so every probe fails
        PoolHealth health = new PoolHealth(pool, router, timer,
                new io.shardgate.protocol.ProxyProtocol.HealthProbe("version\r\n".getBytes(), "VERSION "));
        try {
            health.failure(0, "x");
            Thread.sleep(700); // past the retry timeout and two probes (100 ms, then 200 ms, then 400 ms)
            assertThat(router.isEjected(0)).as("never re-admitted while its probe fails").isTrue();
        } finally {
            health.close();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(condition.getAsBoolean()).as("condition within " + maxMillis + " ms").isTrue();
    }
}
