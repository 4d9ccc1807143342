package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * cluster.host puts the Tribes channel on an address of its own: here the nodes serve HTTP on 127.0.0.1 and
 * replicate over 127.0.0.2 (another loopback address, standing in for a private cluster network).
 */
class ClusterInterfaceIT {
    @TempDir
    Path runDir;

    @Test
    void replicationUsesTheChosenAddressOnly() throws Exception {
        var config = TestClusters.config(SessionMode.DELTA, 2, Map.of(ConfigKeys.CLUSTER_HOST, "127.0.0.2"));
        try (RunningCluster cluster = new ClusterLauncher(new ClusterLauncher.Options(
                        TestClusters.war(), runDir, RedisServer.Binary.AUTO, false, line -> {}))
                .start(config)) {
            SessionClient user = new SessionClient();
            user.post(cluster.node("node-1").url(), "/login", Map.of("user", "ana"));
            assertThat(user.get(cluster.node("node-2").url(), "/session").text("user"))
                    .isEqualTo("ana");

            for (NodeAddress node : cluster.config().nodes()) {
                assertThat(node.host()).isEqualTo("127.0.0.1");
                assertThat(node.clusterHost()).isEqualTo("127.0.0.2");
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.2", node.clusterPort()), 1000);
                    assertThat(s.isConnected())
                            .as(node.name() + " receiver on 127.0.0.2")
                            .isTrue();
                }
                assertThatThrownBy(() -> {
                            try (Socket s = new Socket()) {
                                s.connect(new InetSocketAddress("127.0.0.1", node.clusterPort()), 1000);
                            }
                        })
                        .as(node.name() + " receiver not on the HTTP address")
                        .isInstanceOf(ConnectException.class);
            }
        }
    }
}
