package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** The balancer's JVM gets balancer.jvm.options, the nodes' JVMs node.jvm.options: each its own. */
class BalancerJvmOptionsIT {
    @TempDir
    Path runDir;

    @Test
    void theBalancerRunsWithItsOwnJvmOptions() throws Exception {
        try (RunningCluster cluster = TestClusters.startBalanced(
                SessionMode.LOCAL,
                1,
                runDir,
                "round-robin",
                Map.of(
                        ConfigKeys.BALANCER_JVM_OPTIONS,
                        "-Xmx200m -XX:+UseSerialGC -Dsessioncluster.test.role=proxy"))) {
            String balancer = commandLine(cluster.balancer().orElseThrow().pid());
            String node = commandLine(cluster.nodes().get(0).process().pid());
            assertThat(balancer)
                    .contains("-Xmx200m", "-Dsessioncluster.test.role=proxy")
                    .as("the full JIT: the nodes' C1-only option stays with the nodes")
                    .doesNotContain("TieredStopAtLevel");
            assertThat(node).contains("TieredStopAtLevel=1").doesNotContain("sessioncluster.test.role");
        }
    }

    private static String commandLine(long pid) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }
}
