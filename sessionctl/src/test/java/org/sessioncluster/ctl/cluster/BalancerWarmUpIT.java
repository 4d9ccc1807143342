package org.sessioncluster.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.ctl.TestClusters;

/**
 * A throw-away cluster (a scenario command's, a test's) is handed over once the balancer's warm-up has ended: the
 * scenario's load and faults begin at once, and must not share the cores with 20,000 warm-up requests nor meet a
 * data path still in the interpreter. ({@code up}, which returns before it, is in {@code SessionCtlCliIT}.)
 */
class BalancerWarmUpIT {
    @TempDir
    Path runDir;

    @Test
    void aThrowAwayClusterIsHandedOverOnceTheBalancerHasWarmedUp() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();
        ClusterLauncher launcher = new ClusterLauncher(
                new ClusterLauncher.Options(TestClusters.war(), runDir, RedisServer.Binary.AUTO, true, progress::add));
        Map<String, String> keys = Map.of(
                ConfigKeys.BALANCER_PORT, "0",
                ConfigKeys.BALANCER_ADMIN_PORT, "0",
                // more than a one-node start takes (C1 only in the tests' balancer): begun at the balancer's start,
                // it is still running when the node is ready
                ConfigKeys.BALANCER_WARMUP_REQUESTS, "40000");
        try (RunningCluster cluster = launcher.start(TestClusters.config(SessionMode.LOCAL, 1, keys))) {
            assertThat(cluster.balancerAdmin().flatMap(BalancerAdmin::status).map(BalancerStatus::warmedUp))
                    .as("the balancer's status when start() returned")
                    .contains(true);
            assertThat(progress).anyMatch(line -> line.startsWith("balancer's data path warmed after"));
            String log = Files.readString(runDir.resolve("logs/balancer.log"));
            assertThat(log).contains("data path warmed: 40000 requests");
            assertThat(log.indexOf("warming the data path"))
                    .as("begun at the balancer's start (--warm-up-at-start), while the node boots:\n" + log)
                    .isPositive()
                    .isLessThan(log.indexOf("node-1 registered"));
        }
    }
}
