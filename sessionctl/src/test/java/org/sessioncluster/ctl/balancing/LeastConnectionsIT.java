package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BalancerAdminClient;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** least-connections sends new requests to the node that is not busy. */
// times what it measures in fractions of a second: alone, not beside another test class
@Isolated
class LeastConnectionsIT {
    @TempDir
    Path runDir;

    @Test
    void requestsGoToTheIdleNodeWhileTheOtherIsBusy() throws Exception {
        try (RunningCluster cluster =
                TestClusters.startBalanced(SessionMode.LOCAL, 2, runDir, "least-connections", Map.of())) {
            String balancer = cluster.balancerUrl();
            BalancerAdminClient admin = new BalancerAdminClient(cluster);
            CompletableFuture<SessionClient.Answer> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return new SessionClient().get(balancer, "/work?ms=3000");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() ->
                            admin.node("node-1").active() + admin.node("node-2").active() == 1);
            String busy = admin.node("node-1").active() == 1 ? "node-1" : "node-2";
            String idle = busy.equals("node-1") ? "node-2" : "node-1";

            for (int i = 0; i < 10; i++) {
                assertThat(new SessionClient().get(balancer, "/health").servedBy())
                        .isEqualTo(idle);
            }
            SessionClient.Answer done = slow.get();
            assertThat(done.servedBy()).isEqualTo(busy);
            assertThat(done.status()).isEqualTo(200);
        }
    }
}
