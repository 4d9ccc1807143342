package org.sessioncluster.ctl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.Cli;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.network.LinkShape;
import org.sessioncluster.ctl.network.NetworkLab;

/**
 * A cluster whose nodes, balancer and Redis each run in a network namespace of their own, joined by shaped
 * links: every address is the lab's, a session crosses the nodes over those links, and nothing of the lab is
 * left afterwards. Skipped with the reason where labs cannot be made.
 */
class ShapedNetworkClusterIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    @BeforeAll
    static void labsCanBeMadeHere() {
        NetworkLab.unavailable().ifPresent(why -> Assumptions.abort("no network lab here: " + why));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"delta", "redis", "redis-cluster"})
    void aSessionCrossesNodesThatEachHaveANamespaceAndALinkOfTheirOwn(String scenario) throws Exception {
        boolean sharded = scenario.equals("redis-cluster");
        SessionMode mode = sharded ? SessionMode.REDIS : SessionMode.parse(scenario);
        NetworkLab lab = NetworkLab.create(new LinkShape(100_000_000, 0));
        try {
            org.sessioncluster.config.ClusterConfig config = config(mode);
            if (sharded) {
                config = config.with(Map.of(ConfigKeys.REDIS_EMBEDDED_CLUSTER, "true"));
            }
            try (RunningCluster cluster = launcher(lab).start(config)) {
                assertThat(cluster.balancerUrl()).startsWith("http://10.213.");
                assertThat(cluster.nodes()).extracting(ClusterNode::url).allMatch(u -> u.startsWith("http://10.213."));
                assertThat(cluster.nodes().stream().map(ClusterNode::url).distinct())
                        .hasSize(2);
                if (sharded) {
                    assertThat(cluster.config().redis().clusterNodes())
                            .as("the six nodes of the Redis Cluster in Redis's namespace")
                            .hasSize(6)
                            .allMatch(a -> a.startsWith("redis://10.213."));
                    assertThat(cluster.processesByRole().get("redis")).hasSize(6);
                } else if (mode.usesRedis()) {
                    assertThat(cluster.config().redis().address())
                            .as("Redis in a namespace of its own")
                            .startsWith("redis://10.213.");
                }
                String node1 = cluster.node("node-1").url();
                String node2 = cluster.node("node-2").url();
                SessionClient user = new SessionClient();
                assertThat(user.post(node1, "/login", Map.of("user", "ana")).status())
                        .isEqualTo(200);
                assertThat(user.post(node1, "/cart/items", Map.of("item", "pear"))
                                .status())
                        .isEqualTo(200);
                org.awaitility.Awaitility.await()
                        .atMost(java.time.Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(user.get(node2, "/session")
                                        .body()
                                        .get("cart")
                                        .toString())
                                .contains("pear"));
                assertThat(user.get(cluster.balancerUrl(), "/session").text("user"))
                        .isEqualTo("ana");
            }
        } finally {
            lab.close();
        }
        assertThat(lab.remains()).as("namespaces, links and bridge left").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = SessionMode.class,
            names = {"REDIS"})
    void aRedisTheLabCannotHoldIsRefusedBeforeAnythingStarts(SessionMode mode) throws Exception {
        try (NetworkLab lab = NetworkLab.create(new LinkShape(100_000_000, 0))) {
            assertThatThrownBy(() -> launcher(lab)
                            .start(TestClusters.config(mode, 2, Map.of(ConfigKeys.REDIS_EMBEDDED_SENTINEL, "true"))))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("Sentinel")
                    .hasMessageContaining("loopback");
        }
    }

    @org.junit.jupiter.api.Test
    void compareRunsOnAShapedNetworkAndLeavesNoLabBehind() throws Exception {
        java.nio.file.Path out = Files.createTempDirectory(tmp, "compare-shaped");
        long before = NetworkLab.namespaces().size();
        Cli.Result r = Cli.runFresh(
                "compare",
                "--network",
                "shaped",
                "--link-rate",
                "50mbit",
                "--scenarios",
                "delta,redis",
                "--nodes",
                "2",
                "--rounds",
                "1",
                "--duration",
                "1s",
                "--no-ladder",
                "--out",
                out.toString(),
                "--run-dir",
                out.resolve("run").toString());
        assertThat(r.exitCode()).as(r.console()).isZero();
        assertThat(r.console()).contains("network: shaped").contains("every link 50mbit");
        assertThat(r.console()).as("delta set against redis").contains("At 2 nodes delta served");
        com.fasterxml.jackson.databind.JsonNode results = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("results.json").toFile());
        assertThat(results.toString()).contains("shaped");
        assertThat(results.has("memoryLadder"))
                .as("--no-ladder: no memory ladder")
                .isFalse();
        assertThat(out.resolve("run/memory-ladder")).doesNotExist();
        assertThat(NetworkLab.namespaces()).as("every cluster's lab removed").hasSize((int) before);
    }

    @org.junit.jupiter.api.Test
    void compareSaysWhatIsWrongWithANetworkOptionBeforeStartingAnything() {
        assertThat(Cli.run("compare", "--network", "wifi").console())
                .contains("--network wifi is not allowed; allowed: loopback, shaped");
        assertThat(Cli.run("compare", "--network", "shaped", "--link-rate", "fast")
                        .console())
                .contains("'fast' is not a link rate");
        if (!NetworkLab.netemAvailable()) {
            assertThat(Cli.run("compare", "--network", "shaped", "--link-delay", "1ms")
                            .console())
                    .contains("no netem");
        }
    }

    private ClusterLauncher launcher(NetworkLab lab) throws java.io.IOException {
        return new ClusterLauncher(new ClusterLauncher.Options(
                TestClusters.war(),
                Files.createTempDirectory(tmp, "shaped-cluster"),
                RedisServer.Binary.AUTO,
                true,
                line -> {},
                lab));
    }

    private static org.sessioncluster.config.ClusterConfig config(SessionMode mode) {
        Map<String, String> more = new HashMap<>();
        more.put(ConfigKeys.BALANCER_POLICY, "round-robin");
        return TestClusters.config(mode, 2, more);
    }
}
