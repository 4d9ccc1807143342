package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BalancerAdminClient;
import org.sessioncluster.ctl.BoundedLoad;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * Health checks under load: a SIGKILLed node gets no request a second after its death, no GET fails
 * meanwhile (retry on another node), and a restarted node comes back after the rise count.
 */
// times what it measures in fractions of a second: alone, not beside another test class
@Isolated
class HealthCheckIT {
    @TempDir
    Path runDir;

    @Test
    void killedNodeIsTakenOutWithinASecondWithoutFailedGetsAndComesBackAfterRestart() throws Exception {
        try (RunningCluster cluster =
                TestClusters.startBalanced(SessionMode.LOCAL, 3, runDir, "round-robin", Map.of())) {
            BalancerAdminClient admin = new BalancerAdminClient(cluster);
            try (BoundedLoad load = new BoundedLoad(cluster.balancerUrl() + "/health", 4, 5_000)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.served("node-2") > 20);

                long killedAt = System.nanoTime();
                cluster.node("node-2").process().kill();
                await().atMost(Duration.ofSeconds(1))
                        .pollInterval(Duration.ofMillis(10))
                        .until(() -> !admin.node("node-2").routable());
                long outAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
                assertThat(outAfterMillis).isLessThanOrEqualTo(1000);

                long sentToDeadNode = admin.node("node-2").requests();
                long okBefore = load.ok.sum();
                await().atMost(Duration.ofSeconds(20)).until(() -> load.ok.sum() > okBefore + 300);
                assertThat(admin.node("node-2").requests())
                        .as("requests sent to the dead node after it was taken out")
                        .isEqualTo(sentToDeadNode);
            }

            TestClusters.launcher(runDir).restartNode(cluster, "node-2");
            assertThat(admin.node("node-2").routable()).isTrue();
            String balancerLog = Files.readString(runDir.resolve("logs/balancer.log"), StandardCharsets.UTF_8);
            assertThat(balancerLog).contains("node-2 is DOWN").contains("node-2 is UP again (2 good checks)");
            try (BoundedLoad after = new BoundedLoad(cluster.balancerUrl() + "/health", 2, 60)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> after.served("node-2") > 0);
            }
        }
    }

    @Test
    void noGetFailsWhileANodeIsKilledUnderLoad() throws Exception {
        try (RunningCluster cluster =
                        TestClusters.startBalanced(SessionMode.LOCAL, 3, runDir, "round-robin", Map.of());
                BoundedLoad load = new BoundedLoad(cluster.balancerUrl() + "/health", 4, 1_500)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.sum() > 200);
            cluster.node("node-3").process().kill();
            long okAtKill = load.ok.sum();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.ok.sum() > okAtKill + 500);
            load.close();
            assertThat(load.failures).as("failed GETs").isEmpty();
            BalancerAdminClient admin = new BalancerAdminClient(cluster);
            String metrics = admin.get("/metrics").body();
            assertThat(metrics).contains("sessioncluster_balancer_errors_total 0");
        }
    }
}
