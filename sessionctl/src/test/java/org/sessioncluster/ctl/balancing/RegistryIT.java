package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BalancerAdminClient;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.testsupport.FreePorts;

/**
 * The Eureka-style registry: a node that stops renewing (frozen with SIGSTOP) is evicted within the
 * window and comes back when it renews again; a node added to a running cluster registers and gets traffic.
 */
// times what it measures in fractions of a second: alone, not beside another test class
@Isolated
class RegistryIT {
    @TempDir
    Path runDir;

    private static boolean listed(BalancerAdminClient admin, String name) throws Exception {
        return admin.registry().stream().anyMatch(n -> n.name().equals(name));
    }

    private static void signal(String signal, long pid) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
        assertThat(exit).isZero();
    }

    @Test
    void silentNodeIsEvictedWithinTheWindowAndReturnsWhenItRenews() throws Exception {
        try (RunningCluster cluster =
                TestClusters.startBalanced(SessionMode.LOCAL, 3, runDir, "round-robin", Map.of())) {
            BalancerAdminClient admin = new BalancerAdminClient(cluster);
            long window = cluster.config().registry().evictionMillis();
            assertThat(listed(admin, "node-3")).isTrue();
            long pid = cluster.node("node-3").process().pid();
            signal("STOP", pid);
            long frozenAt = System.nanoTime();
            try {
                await().atMost(Duration.ofMillis(window + 1500))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> !listed(admin, "node-3"));
                long evictedAfter = (System.nanoTime() - frozenAt) / 1_000_000;
                // not before the window (minus one renewal period it may have just sent), and not long after it
                assertThat(evictedAfter)
                        .isBetween(window - cluster.config().registry().renewMillis(), window + 1500);
                for (int i = 0; i < 30; i++) {
                    assertThat(new SessionClient()
                                    .get(cluster.balancerUrl(), "/health")
                                    .servedBy())
                            .isNotEqualTo("node-3");
                }
            } finally {
                signal("CONT", pid);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> listed(admin, "node-3") && admin.node("node-3").routable());
        }
    }

    @Test
    void nodeAddedToARunningClusterRegistersAndGetsTraffic() throws Exception {
        int base = fourFreePortsInARow();
        try (RunningCluster cluster = TestClusters.startBalanced(
                SessionMode.LOCAL, 2, runDir, "round-robin", Map.of(ConfigKeys.NODE_HTTP_PORT_BASE, "" + base))) {
            ClusterNode added;
            try (ServerSocket taken = new ServerSocket(base + 2, 1, InetAddress.getLoopbackAddress())) {
                added = TestClusters.launcher(runDir).addNode(cluster);
            }
            assertThat(added.name()).isEqualTo("node-3");
            assertThat(added.address().httpPort())
                    .as("the port node.http.port.base gives node-3 is taken: another one")
                    .isNotEqualTo(base + 2)
                    .isPositive();
            BalancerAdminClient admin = new BalancerAdminClient(cluster);
            assertThat(listed(admin, "node-3")).isTrue();
            int onNew = 0;
            for (int i = 0; i < 30; i++) {
                if ("node-3"
                        .equals(new SessionClient()
                                .get(cluster.balancerUrl(), "/health")
                                .servedBy())) {
                    onNew++;
                }
            }
            assertThat(onNew).isBetween(8, 12);
            assertThat(TestClusters.launcher(runDir).addNode(cluster).address().httpPort())
                    .as("node-4 where node.http.port.base puts it, as the nodes started with")
                    .isEqualTo(base + 3);
        }
    }

    /** The first of four consecutive loopback ports nothing listens on. */
    private static int fourFreePortsInARow() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = FreePorts.loopback();
            if (first + 3 > 65535) {
                continue;
            }
            boolean free = true;
            for (int p = first + 1; p <= first + 3 && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    free = s.isBound();
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no four free loopback ports in a row");
    }
}
