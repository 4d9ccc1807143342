package org.sessioncluster.ctl.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import redis.clients.jedis.Jedis;

/** The proxy the slow-redis fault puts in front of a real Redis: replies late while a delay is set, in order. */
// times what it measures in fractions of a second: alone, not beside another test class
@Isolated
class DelayingProxyIT {
    private static ManagedProcess redis;
    private static int port;

    @BeforeAll
    static void startRedis() throws Exception {
        port = RedisServer.freeLoopbackPort();
        redis = RedisServer.startOnLoopback(port, java.nio.file.Files.createTempFile("redis", ".log"));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.kill();
        }
    }

    @Test
    void repliesComeAsLateAsTheDelaySaysAndAtOnceWithoutIt() throws Exception {
        try (DelayingProxy proxy = DelayingProxy.start("127.0.0.1", "127.0.0.1", port);
                Jedis j = new Jedis("127.0.0.1", proxy.port())) {
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(millis(() -> j.set("k", "1"))).as("no delay").isLessThan(150);
            assertThat(proxy.delayedReplies()).isZero();

            proxy.setDelay(Duration.ofMillis(300));
            long slow = millis(() -> j.incr("k"));
            assertThat(slow).as("one reply 300 ms late").isBetween(300L, 1_000L);
            // pipelined: both replies held, in order
            var pipeline = j.pipelined();
            var first = pipeline.incr("k");
            var second = pipeline.get("k");
            long both = millis(pipeline::sync);
            assertThat(both).isBetween(300L, 1_500L);
            assertThat(first.get()).isEqualTo(3L);
            assertThat(second.get()).isEqualTo("3");
            assertThat(proxy.delayedReplies()).isPositive();

            proxy.setDelay(Duration.ZERO);
            assertThat(millis(() -> j.get("k"))).as("delay lifted").isLessThan(150);
        }
    }

    @Test
    void jitterSpreadsTheDelaysAndKeepsTheRepliesInOrder() throws Exception {
        try (DelayingProxy proxy = DelayingProxy.start("127.0.0.1", "127.0.0.1", port);
                Jedis j = new Jedis("127.0.0.1", proxy.port())) {
            j.del("n");
            proxy.setDelay(Duration.ofMillis(50), Duration.ofMillis(100));
            long fastest = Long.MAX_VALUE;
            long slowest = 0;
            for (int i = 1; i <= 20; i++) {
                long t0 = System.nanoTime();
                assertThat(j.incr("n")).as("in order").isEqualTo(i);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                fastest = Math.min(fastest, ms);
                slowest = Math.max(slowest, ms);
            }
            assertThat(fastest).as("never less than the delay").isGreaterThanOrEqualTo(50);
            assertThat(slowest).as("at most delay + jitter, and a little").isLessThan(400);
            assertThat(slowest - fastest)
                    .as("20 draws from 0–100 ms spread out")
                    .isGreaterThan(30);
        }
    }

    @Test
    void closeEndsTheConnectionsItCarries() throws Exception {
        DelayingProxy proxy = DelayingProxy.start("127.0.0.1", "127.0.0.1", port);
        try (Jedis j = new Jedis("127.0.0.1", proxy.port())) {
            assertThat(j.ping()).isEqualTo("PONG");
            proxy.close();
            org.assertj.core.api.Assertions.assertThatThrownBy(j::ping)
                    .as("the connection through the closed proxy is gone")
                    .isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
        }
    }

    private static long millis(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
