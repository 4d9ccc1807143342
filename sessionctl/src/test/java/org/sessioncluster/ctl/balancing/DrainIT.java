package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** A drained node gets no new sessions but keeps serving its sticky ones; enable brings new ones back. */
class DrainIT {
    @TempDir
    Path runDir;

    @Test
    void drainedNodeKeepsItsStickyUsersAndGetsNoNewOnes() throws Exception {
        try (RunningCluster cluster = TestClusters.startBalanced(SessionMode.LOCAL, 2, runDir, "sticky", Map.of())) {
            String balancer = cluster.balancerUrl();
            BalancerAdmin admin = cluster.balancerAdmin().orElseThrow();
            SessionClient resident = null;
            for (int i = 0; i < 10 && resident == null; i++) {
                SessionClient c = new SessionClient();
                if ("node-1"
                        .equals(c.post(balancer, "/login", Map.of("user", "r" + i))
                                .servedBy())) {
                    resident = c;
                }
            }
            assertThat(resident)
                    .as("round-robin puts one of 10 new users on node-1")
                    .isNotNull();

            admin.command("node-1", "drain");
            for (int i = 0; i < 20; i++) {
                assertThat(new SessionClient()
                                .post(balancer, "/counter", Map.of())
                                .servedBy())
                        .isEqualTo("node-2");
            }
            for (int i = 0; i < 5; i++) {
                SessionClient.Answer a = resident.post(balancer, "/counter", Map.of());
                assertThat(a.servedBy()).isEqualTo("node-1");
                assertThat(a.body().get("counter").asInt()).isEqualTo(i + 1);
            }

            admin.command("node-1", "enable");
            int onNode1 = 0;
            for (int i = 0; i < 10; i++) {
                if ("node-1"
                        .equals(new SessionClient()
                                .post(balancer, "/counter", Map.of())
                                .servedBy())) {
                    onNode1++;
                }
            }
            assertThat(onNode1).isEqualTo(5);
        }
    }
}
