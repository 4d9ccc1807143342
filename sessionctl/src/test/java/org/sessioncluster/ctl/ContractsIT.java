package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeMetrics;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.NodeStatusClient;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.RibbonSelector;
import org.sessioncluster.load.Target;

/**
 * Each contract record as one process writes it and another reads it, between real processes: a node's status
 * (node -> sessionctl, and node -> balancer -> sessionctl inside the balancer's status), its metrics (node -> the
 * meter, beside the same figure in the Prometheus text), the balancer's status
 * (balancer -> sessionctl) and the registry (balancer -> the Ribbon-style client of the load module).
 */
class ContractsIT {
    @TempDir
    Path runDir;

    @Test
    void everyDocumentWrittenByOneProcessIsReadByTheOtherWithItsValues() throws Exception {
        try (RunningCluster cluster =
                TestClusters.startBalanced(SessionMode.DELTA, 2, runDir, "round-robin", Map.of())) {
            ClusterNode node1 = cluster.node("node-1");
            SessionClient ana = new SessionClient();
            assertThat(ana.post(node1.url(), "/login", Map.of("user", "ana")).status())
                    .isEqualTo(200);

            // node -> sessionctl
            NodeStatus status = NodeStatusClient.fetch(node1.address()).orElseThrow();
            assertThat(status.node()).isEqualTo("node-1");
            assertThat(status.mode()).isEqualTo("delta");
            assertThat(status.channelPeers()).isEqualTo(1);
            assertThat(status.seesPeers(1)).isTrue();
            assertThat(status.sessions()).isPositive();
            assertThat(status.heapUsedBytes()).isPositive();
            assertThat(status.clusterBytesSent())
                    .as("the login went to the peer")
                    .isPositive();
            assertThat(status.redisTunnel()).as("no redis.ssh").isNull();
            String json = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(node1.url() + "/_node/metrics.json"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            NodeMetrics metrics = Contracts.read(json, NodeMetrics.class);
            assertThat(metrics.node()).isEqualTo("node-1");
            assertThat(metrics.sessionsHeld()).isPositive();
            assertThat(metrics.clusterPeers()).isEqualTo(1);
            assertThat(metrics.clusterSentBytes()).isPositive();
            assertThat(metrics.redisRoundTrips()).as("not the redis mode").isEqualTo(-1);
            assertThat(NodePrometheusPage.value(node1.url(), "sessioncluster_cluster_peers"))
                    .as("the same figure in the Prometheus text")
                    .isEqualTo(1);

            // balancer -> sessionctl, with each node's own status as the balancer read it
            BalancerAdmin admin = cluster.balancerAdmin().orElseThrow();
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.status()
                            .map(s -> s.nodes().stream().allMatch(n -> n.node() != null))
                            .orElse(false));
            BalancerStatus balancer = admin.status().orElseThrow();
            assertThat(balancer.policy()).isEqualTo("round-robin");
            assertThat(balancer.nodes())
                    .extracting(BalancerStatus.Backend::name)
                    .containsExactly("node-1", "node-2");
            for (BalancerStatus.Backend b : balancer.nodes()) {
                assertThat(b.registered()).isTrue();
                assertThat(b.routable()).isTrue();
                assertThat(b.state()).isEqualTo("enabled");
                assertThat(b.latencyCounts())
                        .hasSize(balancer.latencyBucketsMs().size() + 1);
                assertThat(b.node().node())
                        .as("the node's status inside the balancer's")
                        .isEqualTo(b.name());
                assertThat(b.node().mode()).isEqualTo("delta");
            }
            assertThat(admin.command("node-2", "weight?value=3").weight()).isEqualTo(3);
            assertThat(admin.node("node-2").orElseThrow().weight()).isEqualTo(3);

            // balancer -> the load module's registry client
            RibbonSelector ribbon =
                    new RibbonSelector(cluster.config().registry().url(), Duration.ofSeconds(5), Duration.ofSeconds(1));
            assertThat(ribbon.servers()).extracting(Target::name).containsExactlyInAnyOrder("node-1", "node-2");
            assertThat(ribbon.servers()).extracting(Target::baseUrl).contains(node1.url());
        }
    }
}
