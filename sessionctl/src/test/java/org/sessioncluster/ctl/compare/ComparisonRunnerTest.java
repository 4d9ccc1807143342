package org.sessioncluster.ctl.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.load.LoadPlan;

/** The config each cluster of a comparison starts with: the config file, compare's --set keys, the scenario's own. */
class ComparisonRunnerTest {
    private static ComparisonRunner.Matrix matrix(Map<String, String> overrides) {
        LoadPlan plan = new LoadPlan(2, 3, 1024, Duration.ZERO, Duration.ofSeconds(1), 0, false);
        return new ComparisonRunner.Matrix(
                Scenario.ALL,
                List.of(2),
                1,
                3,
                plan,
                plan,
                1,
                TestClusters.configFile(),
                overrides,
                Path.of("app.war"),
                "-Xmx64m",
                null);
    }

    @Test
    void theSetKeysReachEveryClusterAndTheScenarioKeepsItsOwn() {
        Scenario sticky = Scenario.named(List.of("local+sticky")).get(0);
        ClusterConfig config = ComparisonRunner.clusterConfig(
                matrix(Map.of(
                        ConfigKeys.SESSION_PAYLOAD_MAX_BYTES, "4096",
                        ConfigKeys.BALANCER_POLICY, "round-robin",
                        ConfigKeys.SESSION_MODE, "delta")),
                sticky,
                2);
        assertThat(config.session().payloadMaxBytes()).as("a --set key").isEqualTo(4096);
        assertThat(config.sessionMode()).as("the scenario's mode wins").isEqualTo(SessionMode.LOCAL);
        assertThat(config.balancer().policy()).as("the scenario's policy wins").isEqualTo("sticky");
        assertThat(config.nodes()).hasSize(2);
    }

    @Test
    void withoutSetKeysTheConfigFileDecides() {
        ClusterConfig config = ComparisonRunner.clusterConfig(
                matrix(Map.of()), Scenario.named(List.of("redis")).get(0), 3);
        assertThat(config.session().payloadMaxBytes()).isEqualTo(262_144);
        assertThat(config.sessionMode()).isEqualTo(SessionMode.REDIS);
    }
}
