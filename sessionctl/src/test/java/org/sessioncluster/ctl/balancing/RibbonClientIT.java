package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.RibbonSelector;
import org.sessioncluster.load.Target;

/**
 * Client-side balancing (Ribbon's idea) over the registry: the client spreads requests over the nodes
 * itself, and when a node is SIGKILLed mid-run it retries on another node and drops the dead one, so no
 * request fails (reads after login, as a browsing user makes them) and, in delta mode, no session is lost.
 */
class RibbonClientIT {
    @TempDir
    Path runDir;

    @Test
    void clientSideBalancingSurvivesAKilledNode() throws Exception {
        try (RunningCluster cluster = TestClusters.startBalanced(
                SessionMode.DELTA, 3, runDir, "round-robin", Map.of(ConfigKeys.CLUSTER_JVM_ROUTE_BINDER, "false"))) {
            RibbonSelector ribbon = new RibbonSelector(
                    cluster.config().registry().url(), Duration.ofMillis(500), Duration.ofSeconds(2));
            assertThat(ribbon.servers()).extracting(Target::name).containsExactly("node-1", "node-2", "node-3");

            LoadPlan browsing = new LoadPlan(6, 0, 0, Duration.ZERO, Duration.ofSeconds(30), 6000, false);
            AtomicLong progress = new AtomicLong();
            CompletableFuture<LoadSummary> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LoadGenerator().run(browsing, ribbon, p -> progress.set(p.requests()));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> progress.get() >= 1000);
            cluster.node("node-2").process().kill();
            LoadSummary summary = run.get();

            // each user checks the budget before its next request, so a run may end a few requests over it
            assertThat(summary.requests()).isBetween(6000L, 6000L + browsing.users() - 1);
            assertThat(summary.errors())
                    .as("failed requests: %s", summary.errorSamples())
                    .isZero();
            assertThat(summary.misses()).as("lost sessions").isZero();
            assertThat(summary.stale()).isZero();
            assertThat(summary.perNode()).containsKeys("node-1", "node-2", "node-3");
            assertThat(summary.perNode().get("node-1"))
                    .isGreaterThan(summary.perNode().get("node-2"));
        }
    }
}
