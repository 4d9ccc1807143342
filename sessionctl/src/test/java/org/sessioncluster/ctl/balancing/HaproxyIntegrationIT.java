package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.ExternalTools;
import org.sessioncluster.ctl.HaproxyProcess;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * The real HAProxy, configured from cluster.properties, in front of real delta-mode nodes: jvmRoute
 * stickiness holds, and a SIGKILLed node's users move to other nodes with their sessions, no GET failing.
 */
class HaproxyIntegrationIT {
    @TempDir
    Path runDir;

    @Test
    void stickinessAndFailoverThroughHaproxy() throws Exception {
        Optional<Path> haproxy = ExternalTools.find("haproxy");
        assumeTrue(haproxy.isPresent(), "haproxy is not installed (.ci/run installs it)");
        ClusterConfig requested = TestClusters.config(
                SessionMode.DELTA, 3, Map.of(ConfigKeys.BALANCER_POLICY, "sticky", ConfigKeys.BALANCER_PORT, "0"));
        try (RunningCluster cluster = new ClusterLauncher(new ClusterLauncher.Options(
                                TestClusters.war(), runDir, RedisServer.Binary.AUTO, false, line -> {}))
                        .start(requested);
                HaproxyProcess proxy = HaproxyProcess.start(haproxy.get(), cluster, runDir)) {
            String url = proxy.url();

            List<SessionClient> users = new ArrayList<>();
            List<String> homes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                SessionClient c = new SessionClient();
                homes.add(c.post(url, "/login", Map.of("user", "h" + i)).servedBy());
                users.add(c);
            }
            for (int i = 0; i < users.size(); i++) {
                for (int r = 1; r <= 10; r++) {
                    SessionClient.Answer a = users.get(i).post(url, "/counter", Map.of());
                    assertThat(a.servedBy())
                            .as("HAProxy keeps user %d on its node", i)
                            .isEqualTo(homes.get(i));
                    assertThat(a.body().get("counter").asInt()).isEqualTo(r);
                }
            }
            assertThat(homes.stream().distinct().count()).isEqualTo(3);

            cluster.node("node-1").process().kill();
            for (int i = 0; i < users.size(); i++) {
                SessionClient.Answer a = users.get(i).get(url, "/session");
                assertThat(a.status()).as("GET after the kill, user %d", i).isEqualTo(200);
                assertThat(a.servedBy()).isNotEqualTo("node-1");
                assertThat(a.text("user"))
                        .as("delta keeps the session of user %d", i)
                        .isEqualTo("h" + i);
                assertThat(a.body().get("counter").asInt()).isEqualTo(10);
            }
        }
    }
}
