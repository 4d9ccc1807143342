package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sessioncluster.ctl.Cli;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ManagedProcess;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunState;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.meter.RespConnection;

/**
 * The redis mode on a real Redis Cluster: sessionctl starts 3 primaries and 3 replicas (redis-server with
 * cluster-enabled), the sessions spread over the shards, every node sees every session; a primary SIGKILLed
 * under load is replaced by its replica without losing an acknowledged session; and a cluster with slots
 * nobody serves is refused with the missing slots named. Redisson's manager and Spring Session run on the same
 * cluster too.
 */
// minutes of load with faults on clusters of its own, whose waits stretch when another class shares the cores
@Isolated
class RedisClusterIT {
    @TempDir
    Path runDir;

    @TempDir
    Path out;

    private final List<ManagedProcess> started = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        RunState.read(runDir).ifPresent(state -> state.liveProcesses().forEach(ManagedProcess::kill));
        started.forEach(ManagedProcess::kill);
    }

    private Cli.Result sessionctl(String... args) {
        return Cli.run(Cli.inRunDir(runDir, args));
    }

    /** `up` of 2 nodes in {@code mode} behind round-robin, on a Redis Cluster (3 + 3) sessionctl starts. */
    private Cli.Result upOnAnEmbeddedCluster(String mode) {
        return sessionctl(
                "up",
                "--mode",
                mode,
                "--nodes",
                "2",
                "--policy",
                "round-robin",
                "--war",
                TestClusters.war().toString(),
                "--set",
                "redis.embedded.cluster=true",
                "--set",
                "redis.embedded.port=0",
                "--set",
                "node.http.port.base=0",
                "--set",
                "balancer.port=0",
                "--set",
                "balancer.admin.port=0",
                "--set",
                "node.jvm.options=" + Cli.LEAN_JVM);
    }

    /**
     * Logs in {@code count} users through the balancer, each adding one item; behind round-robin each user's next
     * two reads land on both nodes, and both must see the cart.
     */
    private static List<SessionClient> usersWithACartItemSeenByBothNodes(String lb, int count, String mode)
            throws Exception {
        List<SessionClient> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SessionClient user = new SessionClient();
            assertThat(user.post(lb, "/login", Map.of("user", "u" + i)).status())
                    .isEqualTo(200);
            assertThat(user.post(lb, "/cart/items", Map.of("item", "item-" + i)).status())
                    .isEqualTo(200);
            users.add(user);
        }
        for (int i = 0; i < users.size(); i++) {
            for (int n = 0; n < 2; n++) {
                SessionClient.Answer cart = users.get(i).get(lb, "/cart");
                assertThat(cart.body().get("cart").toString())
                        .as(mode + " user " + i + " on " + cart.servedBy())
                        .contains("item-" + i);
            }
        }
        return users;
    }

    @Test
    void sessionsSpreadOverTheShardsAndEveryNodeSeesThem() throws Exception {
        Cli.Result up = upOnAnEmbeddedCluster("redis");
        assertThat(up.exitCode()).as(up.console()).isZero();
        assertThat(up.console()).contains("started a Redis Cluster").contains("cluster_state:ok");
        RunningCluster cluster = RunningCluster.attach(runDir);
        List<String> shards = cluster.config().redis().clusterNodes().subList(0, 3);
        String lb = cluster.balancerUrl();

        List<SessionClient> users = usersWithACartItemSeenByBothNodes(lb, 100, "redis");
        Map<String, Integer> perShard = new HashMap<>();
        int total = 0;
        for (String shard : shards) {
            int n = sessionHashes(shard, cluster.config().redis().keyPrefix());
            perShard.put(shard, n);
            total += n;
        }
        assertThat(total).as("session hashes on the primaries " + perShard).isEqualTo(100);
        assertThat(perShard.values())
                .as("sessions per shard")
                .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(15));

        Cli.Result status = sessionctl("status");
        assertThat(status.exitCode()).as(status.console()).isZero();
        assertThat(status.console()).contains("Redis Cluster, 3 shard(s)").contains("0-5460");
        Cli.Result inspect = sessionctl("store", "inspect", "--json", "--limit", "200");
        assertThat(inspect.exitCode()).as(inspect.console()).isZero();
        JsonNode listed = new ObjectMapper()
                .readTree(inspect.console().substring(inspect.console().indexOf('{')));
        assertThat(listed.get("sessions").asInt()).isEqualTo(100);
        for (JsonNode key : listed.get("keys")) {
            assertThat(key.get("shard").asText())
                    .isIn(shards.stream()
                            .map(a -> a.substring("redis://".length()))
                            .toList());
        }

        // logout: every key of that session goes from its shard
        SessionClient first = users.get(0);
        assertThat(first.post(lb, "/logout", Map.of()).status()).isEqualTo(200);
        int after = 0;
        for (String shard : shards) {
            after += sessionHashes(shard, cluster.config().redis().keyPrefix());
        }
        assertThat(after).isEqualTo(99);
        List<ManagedProcess> redisNodes = new ArrayList<>(cluster.redisHelpers());
        cluster.redis().ifPresent(redisNodes::add);
        assertThat(redisNodes).hasSize(6);
        assertThat(sessionctl("down").exitCode()).isZero();
        assertThat(redisNodes).as("down stops every node of the Redis Cluster").noneMatch(ManagedProcess::isAlive);
    }

    /** Redisson's manager and Spring Session follow redis.cluster.nodes as well: same cluster, same checks. */
    @ParameterizedTest
    @ValueSource(strings = {"redisson", "spring-session"})
    void theOtherRedisModesKeepTheirSessionsOnTheClusterToo(String mode) throws Exception {
        Cli.Result up = upOnAnEmbeddedCluster(mode);
        assertThat(up.exitCode()).as(up.console()).isZero();
        RunningCluster cluster = RunningCluster.attach(runDir);
        String lb = cluster.balancerUrl();
        usersWithACartItemSeenByBothNodes(lb, 30, mode);
        Map<String, Long> keysPerShard = new HashMap<>();
        for (String shard : cluster.config().redis().clusterNodes().subList(0, 3)) {
            try (RespConnection c = RespConnection.open(shard, RespConnection.Access.NONE, 2000)) {
                keysPerShard.put(shard, (Long) c.call("DBSIZE"));
            }
        }
        assertThat(keysPerShard.values())
                .as(mode + ": keys per primary " + keysPerShard)
                .allSatisfy(n -> assertThat(n).isPositive());
        assertThat(sessionctl("down").exitCode()).isZero();
    }

    @Test
    void aPrimaryKilledUnderLoadIsReplacedAndNoAcknowledgedSessionIsLost() throws Exception {
        Cli.Result run = PrimaryKill.run("redis", out, "--set", "redis.embedded.cluster=true");
        assertThat(run.exitCode()).as(run.console()).isZero();
        JsonNode s = new ObjectMapper()
                .readTree(out.resolve("results.json").toFile())
                .get("scenarios")
                .get(0);
        JsonNode f = s.get("figures");
        assertThat(f.get("mode").asText()).isEqualTo("redis + Redis Cluster");
        assertThat(f.get("sync replicas").asInt()).isEqualTo(1);
        assertThat(f.get("replica promoted after (ms)").asLong())
                .as("the cluster promoted the replica")
                .isBetween(1L, 30_000L);
        assertThat(f.get("sessions lost").asInt()).as("sessions lost").isZero();
        assertThat(f.get("stale answers").asInt()).as("stale answers").isZero();
        // while the slots have no primary the cluster answers CLUSTERDOWN: a read waits that out (a write in flight
        // at the kill may be refused, its fate being unknown)
        assertThat(f.get("failed GETs").asInt()).as("failed GETs").isZero();
        assertThat(f.get("error window (ms)").asLong()).as("error window").isBetween(0L, 15_000L);
        assertThat(f.get("requests").asLong() - f.get("failed requests").asLong())
                .as("requests served")
                .isGreaterThan(100);
    }

    @Test
    void aClusterWithUnservedSlotsIsRefusedNamingThem() throws Exception {
        int port = freePortWithBus();
        ManagedProcess node = RedisServer.startClusterNodeOnLoopback(port, runDir.resolve("redis.log"));
        started.add(node);
        try (RespConnection c = RespConnection.open("127.0.0.1", port, false, RespConnection.Access.NONE, 2000)) {
            List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = 0; slot <= 5460; slot++) {
                command.add(Integer.toString(slot));
            }
            c.call(command.toArray(String[]::new));
        }
        Cli.Result up = sessionctl(
                "up",
                "--mode",
                "redis",
                "--nodes",
                "1",
                "--war",
                TestClusters.war().toString(),
                "--set",
                "redis.cluster.nodes=redis://127.0.0.1:" + port,
                "--set",
                "node.http.port.base=0");
        assertThat(up.exitCode()).isEqualTo(1);
        assertThat(up.console())
                .contains("does not serve slots 5461-16383")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(RunState.read(runDir)).isEmpty();
    }

    /** A free loopback port whose cluster-bus port (+ 10000) is free too. */
    private static int freePortWithBus() throws Exception {
        for (int tries = 0; tries < 100; tries++) {
            try (java.net.ServerSocket a = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = a.getLocalPort();
                if (port > 55535) {
                    continue;
                }
                try (java.net.ServerSocket b =
                        new java.net.ServerSocket(port + 10000, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (java.io.IOException busy) {
                    // its bus port is taken: try another
                }
            }
        }
        throw new IllegalStateException("no free port pair (port, port + 10000) on loopback");
    }

    /** Session hashes (not their :lock and :expires keys) a primary holds. */
    private static int sessionHashes(String address, String prefix) throws Exception {
        int n = 0;
        try (RespConnection c = RespConnection.open(address, RespConnection.Access.NONE, 2000)) {
            String cursor = "0";
            do {
                List<?> page = (List<?>) c.call("SCAN", cursor, "MATCH", prefix + "{*}", "COUNT", "500");
                cursor = String.valueOf(page.get(0));
                n += ((List<?>) page.get(1)).size();
            } while (!"0".equals(cursor));
        }
        return n;
    }

    /** The comparison report's redis-cluster and spring-session scenarios run, and their Redis figures are counted. */
    @Test
    void theComparisonMeasuresTheRedisClusterAndSpringSession() throws Exception {
        Cli.Result run = Cli.runFresh(
                "compare",
                "--quick",
                "--scenarios",
                "redis-cluster,spring-session",
                "--nodes",
                "2",
                "--rounds",
                "1",
                "--duration",
                "1s",
                "--no-ladder",
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.console()).isZero();
        assertThat(run.console()).contains("1 round of 1.0 s").containsPattern("(?m)nodes \\[2], 1 round$");
        JsonNode runs = new ObjectMapper()
                .readTree(out.resolve("results.json").toFile())
                .get("runs");
        assertThat(runs).hasSize(2);
        for (JsonNode r : runs) {
            assertThat(r.get("load").get("errors").asLong()).as(r.toString()).isZero();
            assertThat(r.get("load").get("misses").asLong()).as(r.toString()).isZero();
            assertThat(r.get("meter").get("redisCommands").asLong())
                    .as(r.get("scenario") + ": Redis commands, summed over the primaries of a cluster")
                    .isPositive();
        }
        assertThat(java.nio.file.Files.readString(out.resolve("index.html")))
                .contains("redis-cluster")
                .contains("spring-session")
                .as("--no-ladder: the page has no memory ladder")
                .doesNotContain("id=\"ladder\"");
    }
}
