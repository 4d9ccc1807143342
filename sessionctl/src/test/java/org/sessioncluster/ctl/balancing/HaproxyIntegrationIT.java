package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.proxyconf.HaproxyConfig;

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
                .start(requested)) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path cfg = runDir.resolve("haproxy.cfg");
            Files.writeString(
                    cfg,
                    HaproxyConfig.render(
                            cluster.config().with(Map.of(ConfigKeys.BALANCER_PORT, Integer.toString(port)))));
            Process proxy = new ProcessBuilder(haproxy.get().toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(runDir.resolve("haproxy.log").toString()))
                    .start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> listening(port));
                String url = "http://127.0.0.1:" + port;
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> new SessionClient().get(url, "/health").status() == 200);

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
            } finally {
                proxy.destroyForcibly().waitFor();
            }
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
