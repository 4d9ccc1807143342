package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.proxy.ProxySettings;
import org.sessioncluster.balancer.proxy.ProxyWarmUp;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.Contracts;

/**
 * The warm-up carries its requests through a proxy of the balancer's own classes to a stand-in node once the
 * configured nodes have registered (or at once, when told to), the real balancer neither sees them nor waits for
 * them, and its admin status says when the warm-up has ended.
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
    void theWarmUpBeginsOnceTheConfiguredNodesHaveRegisteredAndItsRequestsAreNotCounted() throws Exception {
        // start() returns at once; the warm-up waits for the nodes (their boot is what a start waits for), then
        // runs on its own thread
        try (LoadBalancer balancer =
                TestBalancer.start(dir, Map.of(ConfigKeys.BALANCER_WARMUP_REQUESTS, "2000", ConfigKeys.NODES, "2"))) {
            assertThat(balancer.warmUpBegun()).as("no node registered yet").isNotDone();
            assertThat(adminStatus(balancer).warmedUp())
                    .as("the admin status before the warm-up")
                    .isFalse();
            balancer.pool().register("node-1", "http://127.0.0.1:9");
            assertThat(balancer.warmUpBegun()).as("one node of two registered").isNotDone();
            balancer.pool().register("node-2", "http://127.0.0.1:9");
            assertThat(balancer.warmUpBegun())
                    .as("begun by the registration of the last node")
                    .isDone();
            ProxyWarmUp.Result r = balancer.warmedUp().get(60, TimeUnit.SECONDS);
            assertThat(r.requests()).isEqualTo(2_000);
            assertThat(adminStatus(balancer).warmedUp())
                    .as("the admin status after it, which sessionctl waits for")
                    .isTrue();
            assertThat(r.failures()).isZero();
            assertThat(balancer.proxyMetrics().requests())
                    .as("requests the real proxy counted")
                    .isZero();
            assertThat(balancer.pool().all())
                    .as("nodes the real balancer knows: the warm-up's stand-in is not among them")
                    .extracting(Backend::name)
                    .containsExactly("node-1", "node-2");
        }
    }

    @Test
    void aBalancerWhoseNodesDoNotComeWarmsUpAfterTheNodesStartTimeout() throws Exception {
        long start = System.nanoTime();
        try (LoadBalancer balancer = TestBalancer.start(
                dir,
                Map.of(
                        ConfigKeys.BALANCER_WARMUP_REQUESTS,
                        "500",
                        ConfigKeys.NODES,
                        "2",
                        ConfigKeys.NODE_START_TIMEOUT_SECONDS,
                        "5"))) {
            balancer.pool().register("node-1", "http://127.0.0.1:9");
            assertThat(balancer.warmedUp().get(60, TimeUnit.SECONDS).requests()).isEqualTo(500);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                    .as("not before node.start.timeout.seconds")
                    .isGreaterThanOrEqualTo(5_000);
        }
    }

    @Test
    void aBalancerToldToWarmUpAtStartBeginsBeforeAnyNodeRegisters() throws Exception {
        try (LoadBalancer balancer = TestBalancer.start(
                dir, Map.of(ConfigKeys.BALANCER_WARMUP_REQUESTS, "500", ConfigKeys.NODES, "2"), true)) {
            assertThat(balancer.warmUpBegun()).as("begun by the start").isDone();
            assertThat(balancer.warmedUp().get(60, TimeUnit.SECONDS).requests()).isEqualTo(500);
            assertThat(balancer.pool().all()).as("no node registered").isEmpty();
        }
    }

    private static BalancerStatus adminStatus(LoadBalancer balancer) {
        return Contracts.fetch(
                        HttpClient.newHttpClient(),
                        "http://127.0.0.1:" + balancer.adminPort() + "/admin/status",
                        Duration.ofSeconds(5),
                        BalancerStatus.class)
                .orElseThrow();
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
