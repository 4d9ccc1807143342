package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.NodeStatusClient;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * The Tribes channel encrypted with a pre-shared key (cluster.encryption.key): two nodes with the key
 * share sessions; a third node with another key starts and serves but never becomes a member (the
 * others cannot read its membership messages, nor it theirs); the same node with the right key joins.
 */
class EncryptedClusterIT {
    private static final String KEY = "00112233445566778899aabbccddeeff";
    private static final String WRONG = "ffeeddccbbaa99887766554433221100";

    @TempDir
    Path dir;

    private Process startNode(ClusterConfig config, String name, Path log) throws Exception {
        return TestClusters.startNodeProcess(config, name, dir, log);
    }

    @Test
    void onlyNodesWithTheKeyShareSessions() throws Exception {
        ClusterConfig config =
                TestClusters.config(SessionMode.DELTA, 2, Map.of(ConfigKeys.CLUSTER_ENCRYPTION_KEY, KEY));
        try (RunningCluster cluster = new ClusterLauncher(new ClusterLauncher.Options(
                        TestClusters.war(), dir.resolve("run"), RedisServer.Binary.AUTO, false, line -> {}))
                .start(config)) {
            SessionClient user = new SessionClient();
            user.post(cluster.nodes().get(0).url(), "/login", Map.of("user", "ana"));
            assertThat(user.get(cluster.nodes().get(1).url(), "/session").text("user"))
                    .as("encrypted replication works")
                    .isEqualTo("ana");
            assertThat(Files.readString(cluster.nodes().get(0).process().log())).doesNotContain(KEY);

            List<Integer> ports = List.of(TestClusters.freePort(), TestClusters.freePort());
            ClusterConfig three = cluster.config()
                    .with(Map.of(
                            ConfigKeys.NODES,
                            "3",
                            "node.3.http.port",
                            Integer.toString(ports.get(0)),
                            "node.3.cluster.port",
                            Integer.toString(ports.get(1)),
                            ConfigKeys.REGISTRY_URL,
                            ""));
            NodeAddress node3 = three.node("node-3");
            NodeAddress node1 = cluster.nodes().get(0).address();

            Process wrong = startNode(
                    three.with(Map.of(ConfigKeys.CLUSTER_ENCRYPTION_KEY, WRONG)),
                    "node-3",
                    dir.resolve("node-3-wrong.log"));
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> NodeStatusClient.fetch(node3).isPresent());
                // it serves, but for 6 s neither side counts the other as a peer
                await().during(Duration.ofSeconds(6))
                        .atMost(Duration.ofSeconds(8))
                        .until(() -> NodeStatusClient.fetch(node1)
                                                .map(NodeStatus::channelPeers)
                                                .orElse(-1)
                                        == 1
                                && NodeStatusClient.fetch(node3)
                                                .map(NodeStatus::channelPeers)
                                                .orElse(-1)
                                        == 0);
                assertThat(user.get(node3.httpBaseUrl(), "/session").text("user"))
                        .as("no session reaches a node with another key")
                        .isNull();
            } finally {
                wrong.destroyForcibly().waitFor();
            }
            Process right = startNode(three, "node-3", dir.resolve("node-3-right.log"));
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> NodeStatusClient.fetch(node1)
                                        .map(NodeStatus::channelPeers)
                                        .orElse(-1)
                                == 2);
                assertThat(user.get(node3.httpBaseUrl(), "/session").text("user"))
                        .as("the same node with the key gets the session")
                        .isEqualTo("ana");
            } finally {
                right.destroyForcibly().waitFor();
            }
        }
    }
}
