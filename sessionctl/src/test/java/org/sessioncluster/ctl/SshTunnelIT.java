package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.tunnel.ForwardSpec;
import org.sessioncluster.tunnel.SshConnector;
import org.sessioncluster.tunnel.SshEndpoint;
import org.sessioncluster.tunnel.Tunnel;
import org.sessioncluster.tunnel.server.DemoKeys;
import org.sessioncluster.tunnel.server.DemoSshServer;
import picocli.CommandLine;

/**
 * SSH forwarding with real nodes: nodes of each Redis mode that reach Redis only through the demo bastion
 * (surviving a dropped SSH connection), {@code store inspect} through a tunnel, and a node that can
 * only dial out, reached by the balancer through a remote forward.
 */
class SshTunnelIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static NodeStatus status(ClusterNode node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(node.url() + "/_node/status"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Contracts.read(r.body(), NodeStatus.class);
    }

    @ParameterizedTest
    @EnumSource(
            value = SessionMode.class,
            names = {"REDIS", "REDISSON", "SPRING_SESSION"})
    void redisNodesReachRedisOnlyThroughTheBastionAndSurviveADroppedConnection(SessionMode mode) throws Exception {
        int redisPort = TestClusters.freePort();
        String redisTarget = "127.0.0.1:" + redisPort;
        DemoKeys keys = DemoKeys.init(dir.resolve("ssh"));
        try (DemoSshServer bastion = new DemoSshServer("127.0.0.1", 0, keys, List.of(redisTarget)).start()) {
            keys.writeKnownHosts("127.0.0.1", bastion.port());
            Map<String, String> overrides = new HashMap<>();
            overrides.put(ConfigKeys.REDIS_EMBEDDED_PORT, Integer.toString(redisPort));
            overrides.put(ConfigKeys.REDIS_SSH, "demo@127.0.0.1:" + bastion.port());
            overrides.put(ConfigKeys.REDIS_SSH_IDENTITY, keys.clientKey().toString());
            overrides.put(ConfigKeys.REDIS_SSH_KNOWN_HOSTS, keys.knownHosts().toString());
            Map<String, String> config = new HashMap<>(overrides);
            ClusterLauncher launcher = new ClusterLauncher(new ClusterLauncher.Options(
                    TestClusters.war(), dir.resolve("run"), RedisServer.Binary.AUTO, false, line -> {}));
            try (RunningCluster cluster = launcher.start(TestClusters.config(mode, 2, config))) {
                String node1 = cluster.node("node-1").url();
                String node2 = cluster.node("node-2").url();
                SessionClient ana = new SessionClient();
                ana.post(node1, "/login", Map.of("user", "ana"));
                ana.post(node1, "/cart/items", Map.of("item", "apple"));
                assertThat(ana.get(node2, "/cart").body().get("cart").get(0).asText())
                        .isEqualTo("apple");

                // the traffic went through the bastion: it opened the forwards, the nodes' tunnels carried bytes ...
                assertThat(bastion.forwardsTo(redisTarget)).isGreaterThanOrEqualTo(2);
                for (ClusterNode node : cluster.nodes()) {
                    NodeStatus.TunnelStatus tunnel = status(node).redisTunnel();
                    assertThat(tunnel).as(node.name() + " reports its tunnel").isNotNull();
                    assertThat(tunnel.bytesOut()).isPositive();
                    assertThat(tunnel.bytesIn()).isPositive();
                }
                // ... and no node holds a connection of its own to Redis's port (only the bastion does)
                if (ProcSockets.available()) {
                    for (ClusterNode node : cluster.nodes()) {
                        assertThat(ProcSockets.connectionsTo(node.process().pid(), redisPort))
                                .as(node.name() + " -> Redis directly")
                                .isZero();
                    }
                    assertThat(ProcSockets.connectionsTo(ProcessHandle.current().pid(), redisPort))
                            .as("bastion -> Redis")
                            .isPositive();
                }

                assertThat(bastion.dropSessions()).isEqualTo(2);
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> {
                            for (ClusterNode node : cluster.nodes()) {
                                NodeStatus.TunnelStatus tunnel = status(node).redisTunnel();
                                assertThat(tunnel.reconnects()).isEqualTo(1);
                                assertThat(tunnel.state()).isEqualTo("up");
                            }
                        });
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .until(() -> ana.post(node2, "/cart/items", Map.of("item", "pear"))
                                        .status()
                                == 200);
                assertThat(ana.get(node1, "/cart").body().get("cart"))
                        .extracting(JsonNode::asText)
                        .containsExactly("apple", "pear");

                if (mode == SessionMode.REDIS) {
                    storeInspectThroughTheBastionListsTheSessionsWithATtl(cluster, bastion, keys, ana);
                }
            }
        }
    }

    private void storeInspectThroughTheBastionListsTheSessionsWithATtl(
            RunningCluster cluster, DemoSshServer bastion, DemoKeys keys, SessionClient ana) throws Exception {
        SessionClient bea = new SessionClient();
        bea.post(cluster.node("node-2").url(), "/login", Map.of("user", "bea"));
        long forwardsBefore =
                bastion.forwardsTo(cluster.config().redis().address().replace("redis://", ""));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = org.sessioncluster.ctl.SessionCtl.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(
                "store",
                "inspect",
                "--run-dir",
                dir.resolve("run").toString(),
                "--json",
                "--via",
                "demo@127.0.0.1:" + bastion.port(),
                "--identity",
                keys.clientKey().toString(),
                "--known-hosts",
                keys.knownHosts().toString());
        assertThat(exit).as(err.toString()).isZero();
        JsonNode report = JSON.readTree(out.toString());
        assertThat(report.get("redis").asText()).contains("through local forward");
        assertThat(report.get("sessions").asLong()).isGreaterThanOrEqualTo(2);
        List<String> listed = new ArrayList<>();
        for (JsonNode key : report.get("keys")) {
            listed.add(key.get("key").asText());
            // the session hash outlives the 30-minute timeout by a grace period (60 s) and the touch interval (5 s)
            assertThat(key.get("ttlSeconds").asLong()).as(key.toString()).isBetween(25L * 60, 32L * 60);
            assertThat(key.get("bytes").asLong()).isPositive();
        }
        for (SessionClient user : List.of(ana, bea)) {
            String id = SessionClient.baseId(user.sessionId());
            assertThat(listed).anyMatch(k -> k.contains(id));
        }
        assertThat(bastion.forwardsTo(cluster.config().redis().address().replace("redis://", "")))
                .isGreaterThan(forwardsBefore);
    }

    @Test
    void aNodeThatCanOnlyDialOutIsReachedByTheBalancerThroughARemoteForward() throws Exception {
        DemoKeys keys = DemoKeys.init(dir.resolve("ssh"));
        try (DemoSshServer bastion = new DemoSshServer("127.0.0.1", 0, keys, List.of()).start();
                RunningCluster front = TestClusters.startBalanced(
                        SessionMode.LOCAL,
                        1,
                        dir.resolve("front"),
                        "round-robin",
                        Map.of(ConfigKeys.REGISTRY_EVICTION_MS, "600000"));
                RunningCluster hidden =
                        TestClusters.start(SessionMode.LOCAL, 1, dir.resolve("hidden"), RedisServer.Binary.AUTO)) {
            keys.writeKnownHosts("127.0.0.1", bastion.port());
            int forwarded = TestClusters.freePort();
            int hiddenPort = hidden.node("node-1").address().httpPort();
            BalancerAdminClient admin = new BalancerAdminClient(front);
            try (SshConnector ssh = new SshConnector(
                            SshEndpoint.parse("demo@127.0.0.1:" + bastion.port()),
                            keys.clientKey(),
                            keys.knownHosts(),
                            false,
                            Duration.ofSeconds(10));
                    Tunnel tunnel = Tunnel.open(
                            Tunnel.Direction.REMOTE,
                            ssh,
                            ForwardSpec.parse("127.0.0.1:" + forwarded + ":127.0.0.1:" + hiddenPort),
                            Duration.ofSeconds(2))) {
                // the balancer only knows the bastion's port; the front node is taken out of rotation
                HttpResponse<String> registered = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                front.config().registry().url() + "/registry/outbound-1"))
                                        .header("Authorization", "Bearer " + admin.token())
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .POST(HttpRequest.BodyPublishers.ofString("url=http://127.0.0.1:" + forwarded))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(registered.statusCode()).isEqualTo(201);
                assertThat(admin.post("/admin/nodes/node-1/disable", admin.token())
                                .statusCode())
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> admin.node("outbound-1").routable());

                SessionClient user = new SessionClient();
                for (int i = 0; i < 10; i++) {
                    SessionClient.Answer answer =
                            user.post(front.balancerUrl(), "/cart/items", Map.of("item", "item-" + i));
                    assertThat(answer.status()).isEqualTo(200);
                }
                assertThat(user.get(front.balancerUrl(), "/cart").body().get("cart"))
                        .hasSize(10);
                assertThat(tunnel.stats().connections()).isPositive();
                assertThat(tunnel.stats().bytesIn()).isPositive();
            }
        }
    }
}
