package org.sessioncluster.ctl.modes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.NodePrometheusPage;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * What every session mode must do on a real 3-node cluster (separate JVMs on loopback): where a
 * session can be read, what login does to its id, and what a SIGKILL of a node costs. Subclasses say
 * which mode and whether sessions cross nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class SessionModeContract {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp; // static: made before @BeforeAll, which starts the cluster

    RunningCluster cluster;
    Path runDir;
    String node1;
    String node2;
    String node3;

    abstract SessionMode mode();

    /** False only for local mode: a session lives on the node that made it. */
    abstract boolean sessionsCrossNodes();

    RedisServer.Binary redisBinary() {
        return RedisServer.Binary.AUTO;
    }

    @BeforeAll
    void startCluster() throws IOException {
        runDir = Files.createTempDirectory(tmp, "session-cluster-" + mode().configName());
        cluster = TestClusters.start(mode(), 3, runDir, redisBinary());
        node1 = cluster.node("node-1").url();
        node2 = cluster.node("node-2").url();
        node3 = cluster.node("node-3").url();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void sessionMadeOnOneNodeIsReadOnAnother() throws Exception {
        SessionClient user = new SessionClient();
        user.post(node1, "/login", Map.of("user", "ana"));
        SessionClient.Answer added = user.post(node1, "/cart/items", Map.of("item", "apple"));
        assertThat(added.servedBy()).isEqualTo("node-1");
        assertThat(added.body().get("version").asLong()).isEqualTo(2);

        SessionClient.Answer read = user.get(node2, "/session");
        assertThat(read.servedBy()).isEqualTo("node-2");
        if (sessionsCrossNodes()) {
            assertThat(read.text("user")).isEqualTo("ana");
            assertThat(read.body().get("cart").get(0).asText()).isEqualTo("apple");
            assertThat(read.text("createdBy")).isEqualTo("node-1");
            assertThat(read.text("digest")).isEqualTo(added.text("digest"));
        } else {
            // The "Problem" slide: node-2 has never heard of this session.
            assertThat(read.body().get("exists").asBoolean()).isFalse();
            assertThat(read.text("user")).isNull();
            assertThat(read.body().get("cart")).isEmpty();
        }
    }

    @Test
    @Order(2)
    void loginRotatesTheSessionIdAndTheNewIdWorksOnAnotherNode() throws Exception {
        SessionClient user = new SessionClient();
        user.post(node2, "/cart/items", Map.of("item", "pear"));
        String before = user.sessionId();
        SessionClient.Answer login = user.post(node2, "/login", Map.of("user", "bea"));
        String after = user.sessionId();

        assertThat(after).isNotNull();
        assertThat(SessionClient.baseId(after))
                .as("login must give the session a new id")
                .isNotEqualTo(SessionClient.baseId(before));
        if (mode() == SessionMode.SPRING_SESSION) {
            // Spring Session's id is a UUID; the node's route is added to the cookie only
            assertThat(login.text("id")).isEqualTo(SessionClient.baseId(after));
        } else {
            assertThat(login.text("id")).isEqualTo(after);
        }
        assertThat(login.text("user")).isEqualTo("bea");
        assertThat(login.body().get("cart").get(0).asText())
                .as("login keeps what the session held")
                .isEqualTo("pear");

        SessionClient.Answer elsewhere = user.get(node3, "/session");
        if (sessionsCrossNodes()) {
            assertThat(elsewhere.text("user")).isEqualTo("bea");
            assertThat(elsewhere.body().get("cart").get(0).asText()).isEqualTo("pear");
        } else {
            assertThat(elsewhere.body().get("exists").asBoolean()).isFalse();
        }

        SessionClient attacker = new SessionClient();
        attacker.useSessionId(before);
        for (String node : new String[] {node1, node2, node3}) {
            assertThat(attacker.get(node, "/session").text("user"))
                    .as("the pre-login id must not log anyone in on " + node)
                    .isNull();
        }
    }

    @Test
    @Order(3)
    void payloadOverTheLimitIsRefusedWith413() throws Exception {
        SessionClient user = new SessionClient();
        int max = cluster.config().session().payloadMaxBytes();
        SessionClient.Answer ok = user.put(node1, "/payload?bytes=" + 1024);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().get("payloadBytes").asInt()).isEqualTo(1024);
        SessionClient.Answer tooBig = user.put(node1, "/payload?bytes=" + (max + 1));
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.text("error")).contains(ConfigKeys.SESSION_PAYLOAD_MAX_BYTES);
        assertThat(user.get(node1, "/session").body().get("payloadBytes").asInt())
                .as("a refused payload changes nothing")
                .isEqualTo(1024);
    }

    @Test
    @Order(4)
    void metricsCountSessionsHeldAndClusterTraffic() throws Exception {
        SessionClient user = new SessionClient();
        user.put(node1, "/payload?bytes=4096");
        long storedBefore = NodePrometheusPage.value(node1, "sessioncluster_store_written_bytes_total");
        long sentBefore = NodePrometheusPage.value(node1, "sessioncluster_cluster_sent_bytes_total");
        long receivedBefore = NodePrometheusPage.value(node2, "sessioncluster_cluster_received_bytes_total");
        user.put(node1, "/payload?bytes=8192");
        long sent = NodePrometheusPage.value(node1, "sessioncluster_cluster_sent_bytes_total") - sentBefore;
        long received = NodePrometheusPage.value(node2, "sessioncluster_cluster_received_bytes_total") - receivedBefore;

        long stored = NodePrometheusPage.value(node1, "sessioncluster_store_written_bytes_total") - storedBefore;
        if (mode() == SessionMode.DISK) {
            // the session went to the shared store and left this node's memory
            assertThat(stored).isGreaterThan(8192);
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_sessions_held"))
                    .isZero();
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_store_fsyncs_total"))
                    .as("session.store.fsync is off by default: saves stay in the page cache")
                    .isZero();
        } else if (mode() == SessionMode.SPRING_SESSION) {
            // Spring Session replaces the container's sessions: Tomcat's manager holds none
            assertThat(stored).isZero();
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_sessions_held"))
                    .isZero();
        } else if (mode() == SessionMode.REDIS) {
            // a session server: behind round-robin a node keeps copies it checks on every request
            // (redis.session.cache=verify), and says how often it asked Redis
            assertThat(stored).isZero();
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_sessions_held"))
                    .isPositive();
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_redis_round_trips_total"))
                    .isPositive();
        } else {
            assertThat(stored).isZero();
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_sessions_held"))
                    .isPositive();
        }
        assertThat(NodePrometheusPage.value(node1, "sessioncluster_heap_used_bytes"))
                .isPositive();
        if (mode().usesTribes()) {
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_cluster_peers"))
                    .isEqualTo(2);
            // the 8 KB change went out on the cluster channel
            assertThat(sent).isGreaterThan(8192);
        } else {
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_cluster_peers"))
                    .isEqualTo(-1);
            assertThat(sent).isZero();
            assertThat(received).isZero();
        }
        if (mode() == SessionMode.DELTA) {
            // all-to-all: node-2 received the change as well
            assertThat(received).isGreaterThan(8192);
            assertThat(NodePrometheusPage.value(node2, "sessioncluster_session_bytes_held"))
                    .isGreaterThan(8192);
        }
        if (mode() == SessionMode.LOCAL) {
            assertThat(NodePrometheusPage.value(node1, "sessioncluster_session_bytes_held"))
                    .isGreaterThan(8192);
        }
    }

    @Test
    @Order(10) // last: it kills a node
    void killingTheNodeThatServedASessionLosesItOnlyInLocalMode() throws Exception {
        SessionClient user = new SessionClient();
        user.post(node1, "/login", Map.of("user", "cy"));
        user.post(node1, "/cart/items", Map.of("item", "plum"));
        user.post(node1, "/counter", Map.of());
        assertThat(user.get(node1, "/session").body().get("counter").asInt()).isEqualTo(1);

        cluster.node("node-1").process().kill(); // SIGKILL: no goodbye to the cluster
        assertThat(cluster.node("node-1").process().isAlive()).isFalse();
        assertThatThrownBy(() -> user.get(node1, "/session")).isInstanceOf(ConnectException.class);

        SessionClient.Answer survivor = user.get(node3, "/session");
        assertThat(survivor.servedBy()).isEqualTo("node-3");
        if (sessionsCrossNodes()) {
            assertThat(survivor.text("user")).isEqualTo("cy");
            assertThat(survivor.body().get("cart").get(0).asText()).isEqualTo("plum");
            assertThat(survivor.body().get("counter").asInt()).isEqualTo(1);
            // and it stays writable on the survivors
            assertThat(user.post(node2, "/counter", Map.of())
                            .body()
                            .get("counter")
                            .asInt())
                    .isEqualTo(2);
        } else {
            assertThat(survivor.body().get("exists").asBoolean()).isFalse();
        }
    }
}
