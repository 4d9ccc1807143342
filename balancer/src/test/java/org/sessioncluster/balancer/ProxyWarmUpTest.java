package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.balancer.proxy.ProxySettings;
import org.sessioncluster.balancer.proxy.ProxyWarmUp;
import org.sessioncluster.config.ConfigKeys;

/**
 * The warm-up at start carries its requests through a proxy of the balancer's own classes to a stand-in node,
 * and the real balancer neither sees them nor waits for them.
 */
@org.junit.jupiter.api.Timeout(120)
class ProxyWarmUpTest {
    @TempDir
    Path dir;

    @Test
    void everyWarmUpRequestIsAnsweredThroughTheProxy() throws Exception {
        for (String policy : new String[] {"sticky", "round-robin"}) {
            ProxyWarmUp.Result r = ProxyWarmUp.run(
                    new ProxySettings("127.0.0.1", 0, 8192, 1 << 20, 5_000, 1_000, 5_000, null), policy, 1_000);
            assertThat(r.requests()).isEqualTo(1_000);
            assertThat(r.failures()).as(policy).isZero();
        }
    }

    @Test
    void theBalancerWarmsUpInTheBackgroundAndItsMetricsDoNotCountIt() throws Exception {
        // start() returns at once: the warm-up runs on its own thread
        try (LoadBalancer balancer = TestBalancer.start(dir, Map.of(ConfigKeys.BALANCER_WARMUP_REQUESTS, "2000"))) {
            ProxyWarmUp.Result r = balancer.warmedUp().get(60, TimeUnit.SECONDS);
            assertThat(r.requests()).isEqualTo(2_000);
            assertThat(r.failures()).isZero();
            assertThat(balancer.proxyMetrics().requests())
                    .as("requests the real proxy counted")
                    .isZero();
            assertThat(balancer.pool().all())
                    .as("nodes the real balancer knows")
                    .isEmpty();
        }
    }

    @Test
    void noWarmUpWhenTurnedOff() throws Exception {
        try (LoadBalancer balancer = TestBalancer.start(dir, Map.of())) {
            assertThat(balancer.warmedUp().getNow(null))
                    .isNotNull()
                    .extracting(ProxyWarmUp.Result::requests)
                    .isEqualTo(0L);
        }
    }
}
