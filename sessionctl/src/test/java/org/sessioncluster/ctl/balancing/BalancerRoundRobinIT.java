package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.RegistryEntry;
import org.sessioncluster.ctl.BalancerAdminClient;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** Round-robin and weights through the real balancer in front of 3 real nodes; the admin API's token. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BalancerRoundRobinIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp; // static: made before @BeforeAll, which starts the cluster

    RunningCluster cluster;
    String balancer;
    BalancerAdmin admin;

    @BeforeAll
    void start() throws IOException {
        cluster = TestClusters.startBalanced(
                SessionMode.LOCAL, 3, Files.createTempDirectory(tmp, "balancer-rr"), "round-robin", Map.of());
        balancer = cluster.balancerUrl();
        admin = cluster.balancerAdmin().orElseThrow();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Map<String, Integer> newSessions(int count) throws Exception {
        Map<String, Integer> perNode = new HashMap<>();
        for (int i = 0; i < count; i++) {
            SessionClient.Answer a = new SessionClient().post(balancer, "/counter", Map.of());
            assertThat(a.status()).isEqualTo(200);
            perNode.merge(a.servedBy(), 1, Integer::sum);
        }
        return perNode;
    }

    @Test
    @Order(1)
    void roundRobinSpreads300NewSessionsWithinTenPercentPerNode() throws Exception {
        Map<String, Integer> perNode = newSessions(300);
        assertThat(perNode).containsOnlyKeys("node-1", "node-2", "node-3");
        assertThat(perNode.values()).allSatisfy(n -> assertThat(n).isBetween(90, 110));
    }

    @Test
    @Order(2)
    void weightsOneToThreeGiveOneToThree() throws Exception {
        admin.command("node-1", "weight?value=1");
        admin.command("node-2", "weight?value=3");
        admin.command("node-3", "weight?value=0");
        try {
            Map<String, Integer> perNode = newSessions(400);
            assertThat(perNode.getOrDefault("node-3", 0))
                    .as("weight 0 gets no new sessions")
                    .isZero();
            double ratio = perNode.get("node-2") / (double) perNode.get("node-1");
            assertThat(ratio).isBetween(2.7, 3.3);
        } finally {
            admin.command("node-2", "weight?value=1");
            admin.command("node-3", "weight?value=1");
        }
    }

    @Test
    @Order(3)
    void adminChangesNeedTheTokenAndAWrongOneChangesNothing() throws Exception {
        BalancerAdminClient raw = new BalancerAdminClient(cluster);
        HttpResponse<String> none = raw.post("/admin/nodes/node-1/disable", null);
        HttpResponse<String> wrong =
                raw.post("/admin/nodes/node-1/disable", raw.token().substring(1) + "x");
        HttpResponse<String> register = raw.post("/registry/intruder", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(register.statusCode()).isEqualTo(401);
        assertThat(raw.node("node-1").state()).isEqualTo("enabled");
        assertThat(raw.registry()).extracting(RegistryEntry::name).containsExactly("node-1", "node-2", "node-3");

        HttpResponse<String> ok = raw.post("/admin/nodes/node-1/drain", raw.token());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(raw.node("node-1").state()).isEqualTo("drained");
        assertThat(raw.post("/admin/nodes/node-1/enable", raw.token()).statusCode())
                .isEqualTo(200);
        assertThat(raw.post("/admin/nodes/node-1/weight?value=999", raw.token()).statusCode())
                .isEqualTo(400);
        assertThat(raw.post("/admin/nodes/node-9/drain", raw.token()).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(4)
    void disabledNodeGetsNothing() throws Exception {
        admin.command("node-3", "disable");
        try {
            assertThat(newSessions(30)).doesNotContainKey("node-3");
        } finally {
            admin.command("node-3", "enable");
        }
        assertThat(newSessions(30)).containsKey("node-3");
    }

    @Test
    @Order(5)
    void metricsAndDashboardAreServedOnTheAdminPort() throws Exception {
        BalancerAdminClient raw = new BalancerAdminClient(cluster);
        String metrics = raw.get("/metrics").body();
        assertThat(metrics)
                .contains("sessioncluster_balancer_node_requests_total{node=\"node-1\"}")
                .contains("sessioncluster_balancer_latency_seconds_bucket{le=\"+Inf\"}");
        double total = Double.parseDouble(metrics.lines()
                .filter(l -> l.startsWith("sessioncluster_balancer_requests_total "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1]);
        assertThat(total).isGreaterThanOrEqualTo(760);
        double answered = Double.parseDouble(metrics.lines()
                .filter(l -> l.startsWith("sessioncluster_balancer_latency_seconds_count "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1]);
        assertThat(answered).as("every request is in the latency histogram").isGreaterThanOrEqualTo(760);
        HttpResponse<String> page = raw.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("session-cluster balancer").contains("admin/status");
    }
}
