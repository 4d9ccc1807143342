package org.sessioncluster.ctl.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.NodePrometheusPage;
import org.sessioncluster.ctl.RedisMonitor;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.meter.RespConnection;

/**
 * The redis mode's own session manager on two real 3-node clusters behind the balancer, one sticky and one
 * round-robin, each with its own Redis: Redis commands per request (MONITOR), concurrent writes to one
 * session, logout and expiry, and data in Redis that is not a session of this format.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisSessionManagerIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp; // static: made before @BeforeAll, which starts the cluster

    RunningCluster sticky;
    RunningCluster roundRobin;

    @BeforeAll
    void start() throws IOException {
        sticky = TestClusters.startBalanced(
                SessionMode.REDIS, 3, Files.createTempDirectory(tmp, "redis-sticky"), "sticky", Map.of());
        roundRobin = TestClusters.startBalanced(
                SessionMode.REDIS, 3, Files.createTempDirectory(tmp, "redis-rr"), "round-robin", Map.of());
    }

    @AfterAll
    void stop() {
        for (RunningCluster c : new RunningCluster[] {sticky, roundRobin}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static int redisPort(RunningCluster cluster) {
        return cluster.config().redis().embeddedPort();
    }

    private static RespConnection redis(RunningCluster cluster) throws IOException {
        return RespConnection.open("127.0.0.1", redisPort(cluster), false, RespConnection.Access.NONE, 2000);
    }

    private static String key(String sessionId) {
        return "sessioncluster:session:{" + sessionId + "}";
    }

    /** Average Redis commands per call of {@code request}, over {@code times} calls. */
    private static double commandsPer(RedisMonitor monitor, int times, ThrowingRunnable request) throws Exception {
        monitor.reset();
        for (int i = 0; i < times; i++) {
            request.run();
        }
        return monitor.commandsSinceReset() / (double) times;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void stickyReadsCostAlmostNothingAndWritesOneRoundTrip() throws Exception {
        String lb = sticky.balancerUrl();
        try (RedisMonitor monitor = new RedisMonitor("127.0.0.1", redisPort(sticky))) {
            SessionClient user = new SessionClient();
            double login = commandsPer(monitor, 1, () -> user.post(lb, "/login", Map.of("user", "ana")));
            user.get(lb, "/session"); // a first read after login
            double reads = commandsPer(
                    monitor,
                    100,
                    () -> assertThat(user.get(lb, "/session").text("user")).isEqualTo("ana"));
            double adds = commandsPer(monitor, 20, () -> user.post(lb, "/cart/items", Map.of("item", "apple")));
            double relogin = commandsPer(monitor, 1, () -> user.post(lb, "/login", Map.of("user", "ana2")));
            String seen = monitor.seen();
            assertThat(login).as("login of a new session").isLessThanOrEqualTo(3);
            assertThat(reads)
                    .as("read-only request behind sticky, average over 100")
                    .isLessThanOrEqualTo(0.2);
            assertThat(adds).as("cart add behind sticky").isLessThanOrEqualTo(2);
            assertThat(relogin).as("login that renames a session: " + seen).isLessThanOrEqualTo(3);
            assertThat(user.get(lb, "/cart").body().get("cart")).hasSize(20);
        }
    }

    /** PUBLISH calls Redis has run so far (scripts included), from INFO commandstats. */
    private static long publishes(RunningCluster cluster) throws IOException {
        try (RespConnection c = redis(cluster)) {
            String info = String.valueOf(c.call("INFO", "commandstats"));
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("cmdstat_publish:calls=")) {
                    return Long.parseLong(line.substring("cmdstat_publish:calls=".length(), line.indexOf(',')));
                }
            }
            return 0;
        }
    }

    @Test
    void stickyWritesAnnounceThemselvesOnlyWhenAnotherNodeMayHoldACopy() throws Exception {
        String node1 = sticky.node("node-1").url();
        String node2 = sticky.node("node-2").url();
        SessionClient user = new SessionClient();
        user.post(node1, "/login", Map.of("user", "cy"));
        long before = publishes(sticky);
        for (int i = 0; i < 5; i++) {
            user.post(node1, "/cart/items", Map.of("item", "a" + i));
        }
        assertThat(publishes(sticky) - before)
                .as("writes to a session no other node loaded announce nothing")
                .isZero();

        assertThat(user.get(node2, "/cart").body().get("cart")).hasSize(5); // node-2 now keeps a copy
        before = publishes(sticky);
        user.post(node1, "/cart/items", Map.of("item", "b"));
        assertThat(publishes(sticky) - before)
                .as("a write while node-2 may hold a copy tells it")
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(user.get(node2, "/cart").body().get("cart"))
                        .as("node-2 dropped its old copy")
                        .hasSize(6));

        user.post(node2, "/cart/items", Map.of("item", "c")); // tells node-1; node-2 is now the one holder
        before = publishes(sticky);
        for (int i = 0; i < 5; i++) {
            user.post(node2, "/cart/items", Map.of("item", "d" + i));
        }
        assertThat(publishes(sticky) - before).as("node-2 alone holds it").isZero();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(user.get(node1, "/cart").body().get("cart"))
                        .as("node-1 dropped its copy when node-2 first wrote")
                        .hasSize(12));
    }

    @Test
    void roundRobinReadsSeeTheLatestWriteInOneRoundTrip() throws Exception {
        String lb = roundRobin.balancerUrl();
        try (RedisMonitor monitor = new RedisMonitor("127.0.0.1", redisPort(roundRobin))) {
            SessionClient user = new SessionClient();
            double login = commandsPer(monitor, 1, () -> user.post(lb, "/login", Map.of("user", "bo")));
            List<String> servedBy = new ArrayList<>();
            long[] version = {1};
            double adds = commandsPer(monitor, 30, () -> {
                SessionClient.Answer a = user.post(lb, "/cart/items", Map.of("item", "pear"));
                version[0] = a.body().get("version").asLong();
            });
            double reads = commandsPer(monitor, 30, () -> {
                SessionClient.Answer read = user.get(lb, "/session");
                servedBy.add(read.servedBy());
                assertThat(read.body().get("version").asLong())
                        .as("every node sees the latest write")
                        .isEqualTo(version[0]);
            });
            double relogin = commandsPer(monitor, 1, () -> user.post(lb, "/login", Map.of("user", "bo2")));
            assertThat(servedBy).as("round-robin spreads the reads").contains("node-1", "node-2", "node-3");
            assertThat(login).isLessThanOrEqualTo(3);
            assertThat(adds)
                    .as("cart add behind round-robin (lock+load, save+unlock)")
                    .isLessThanOrEqualTo(2);
            assertThat(reads)
                    .as("read behind round-robin (lock mode writes: a GET takes no lock)")
                    .isLessThanOrEqualTo(1);
            assertThat(relogin).isLessThanOrEqualTo(3);
        }
    }

    /** Bytes Redis has sent to its clients so far (INFO stats), less this probe's own answer. */
    private static long bytesSent(RunningCluster cluster) throws IOException {
        try (RespConnection c = redis(cluster)) {
            String info = String.valueOf(c.call("INFO", "stats"));
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("total_net_output_bytes:")) {
                    return Long.parseLong(
                            line.substring("total_net_output_bytes:".length()).trim());
                }
            }
            throw new AssertionError("no total_net_output_bytes in INFO stats");
        }
    }

    @Test
    void roundRobinNodesKeepCopiesAndAskRedisOnlyWhetherTheyAreCurrent() throws Exception {
        assertThat(roundRobin.config().redis().sessionCache()).isEqualTo("verify");
        String node1 = roundRobin.node("node-1").url();
        String node2 = roundRobin.node("node-2").url();
        SessionClient user = new SessionClient();
        user.post(node1, "/login", Map.of("user", "vic"));
        user.post(node1, "/payload", Map.of("bytes", "2000")); // a session worth not sending again
        long publishedBefore = publishes(roundRobin);

        long before = bytesSent(roundRobin);
        assertThat(user.get(node2, "/session").text("user")).isEqualTo("vic");
        long firstLoad = bytesSent(roundRobin) - before;

        before = bytesSent(roundRobin);
        for (int i = 0; i < 20; i++) {
            assertThat(user.get(node2, "/session").text("user")).isEqualTo("vic");
        }
        long perCheckedRead = (bytesSent(roundRobin) - before) / 20;
        assertThat(firstLoad).as("node-2's first read loads the whole session").isGreaterThan(2000);
        assertThat(perCheckedRead)
                .as("bytes from Redis per read of a current copy (the first load took " + firstLoad + ")")
                .isLessThan(300);

        long version = user.post(node1, "/cart/items", Map.of("item", "fig"))
                .body()
                .get("version")
                .asLong();
        SessionClient.Answer after = user.get(node2, "/session");
        assertThat(after.body().get("version").asLong())
                .as("node-2 sees node-1's write on its very next read, without any message")
                .isEqualTo(version);
        assertThat(user.get(node2, "/cart").body().get("cart")).hasSize(1);
        assertThat(publishes(roundRobin) - publishedBefore)
                .as("copies that are checked on every read need no invalidation messages")
                .isZero();
    }

    private static long held(RunningCluster cluster, String node) throws Exception {
        return NodePrometheusPage.value(cluster.node(node).url(), "sessioncluster_sessions_held");
    }

    /**
     * Copies checked on every request hear of no write, but a logout or a login elsewhere drops them at once:
     * without the message a node whose users went elsewhere would hold them until they idle out.
     */
    @Test
    void roundRobinCopiesOfASessionLoggedOutOrRenamedElsewhereGoAtOnce() throws Exception {
        String node1 = roundRobin.node("node-1").url();
        String node2 = roundRobin.node("node-2").url();
        long heldBefore = held(roundRobin, "node-2");
        SessionClient user = new SessionClient();
        user.post(node1, "/login", Map.of("user", "gus"));
        assertThat(user.get(node2, "/session").text("user")).isEqualTo("gus");
        assertThat(held(roundRobin, "node-2")).as("node-2 keeps a copy").isEqualTo(heldBefore + 1);

        long before = publishes(roundRobin);
        user.post(node1, "/login", Map.of("user", "gus2")); // a login renames the session
        assertThat(publishes(roundRobin) - before).as("the old id is announced").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(held(roundRobin, "node-2"))
                        .as("node-2 dropped its copy under the old id")
                        .isEqualTo(heldBefore));

        assertThat(user.get(node2, "/session").text("user")).isEqualTo("gus2");
        assertThat(held(roundRobin, "node-2")).isEqualTo(heldBefore + 1);
        before = publishes(roundRobin);
        user.post(node1, "/logout", Map.of());
        assertThat(publishes(roundRobin) - before).as("the logout is announced").isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(held(roundRobin, "node-2"))
                        .as("node-2 dropped its copy of the logged-out session")
                        .isEqualTo(heldBefore));
    }

    @Test
    void stickyLogoutOfASessionNoOtherNodeLoadedAnnouncesNothing() throws Exception {
        String node1 = sticky.node("node-1").url();
        SessionClient user = new SessionClient();
        user.post(node1, "/login", Map.of("user", "solo"));
        user.post(node1, "/cart/items", Map.of("item", "kiwi"));
        long before = publishes(sticky);
        user.post(node1, "/logout", Map.of());
        assertThat(publishes(sticky) - before).isZero();
        assertThat(user.get(node1, "/session").body().get("exists").asBoolean()).isFalse();
    }

    private static int parallelAdds(String lb) throws Exception {
        SessionClient user = new SessionClient();
        user.post(lb, "/login", Map.of("user", "par"));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> adds = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String item = "item-" + i;
                adds.add(pool.submit(
                        () -> user.post(lb, "/cart/items", Map.of("item", item)).status()));
            }
            for (Future<Integer> f : adds) {
                assertThat(f.get()).as("every add is answered 200").isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        return user.get(lb, "/cart").body().get("cart").size();
    }

    /**
     * A node borrows a connection per round trip from a pool of at most {@code redis.pool.max}: 48 requests at
     * once, 16 in flight, on a pool of 2, all answered, and Redis sees no more than 2 connections from the node
     * besides its subscription.
     */
    @Test
    void aNodeOpensNoMoreConnectionsThanRedisPoolMax() throws Exception {
        try (RunningCluster one = TestClusters.startBalanced(
                SessionMode.REDIS,
                1,
                Files.createTempDirectory(tmp, "redis-pool"),
                "round-robin",
                Map.of(ConfigKeys.REDIS_POOL_MAX, "2"))) {
            String node = one.node("node-1").url();
            List<SessionClient> users = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                SessionClient u = new SessionClient();
                u.post(node, "/login", Map.of("user", "p" + i));
                users.add(u);
            }
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    SessionClient u = users.get(i % users.size());
                    answers.add(
                            i % 3 == 0
                                    ? pool.submit(() ->
                                            u.post(node, "/counter", Map.of()).status())
                                    : pool.submit(() -> u.get(node, "/session").status()));
                }
                for (Future<Integer> a : answers) {
                    assertThat(a.get()).isIn(200, 503); // a 503 only if a session was busy past the lock wait
                }
            } finally {
                pool.shutdownNow();
            }
            try (RespConnection c = redis(one)) {
                String clients = String.valueOf(c.call("CLIENT", "LIST"));
                long pooled = clients.lines()
                        .filter(l -> !l.contains("cmd=client|list") && l.contains(" sub=0 ") && l.contains(" psub=0 "))
                        .count();
                assertThat(pooled)
                        .as("the node's pooled connections: " + clients)
                        .isBetween(1L, 2L);
            }
            assertThat(users.get(0).get(node, "/session").text("user")).isEqualTo("p0");
        }
    }

    @Test
    void fiftyParallelCartAddsOnOneSessionAreAllKept() throws Exception {
        assertThat(parallelAdds(sticky.balancerUrl()))
                .as("sticky: adds kept of 50")
                .isEqualTo(50);
        assertThat(parallelAdds(roundRobin.balancerUrl()))
                .as("round-robin: adds kept of 50")
                .isEqualTo(50);
    }

    @Test
    void logoutLeavesNoKeyAndAnExpiredSessionIsToldOnceAcrossThreeNodes() throws Exception {
        for (RunningCluster cluster : List.of(sticky, roundRobin)) {
            String lb = cluster.balancerUrl();
            SessionClient user = new SessionClient();
            user.post(lb, "/login", Map.of("user", "lo"));
            String id = user.sessionId();
            try (RespConnection r = redis(cluster)) {
                assertThat(r.call("EXISTS", key(id))).isEqualTo(1L);
                user.post(lb, "/logout", Map.of());
                await().atMost(Duration.ofSeconds(1))
                        .until(() -> r.call("EXISTS", key(id), key(id) + ":expires", key(id) + ":lock")
                                .equals(0L));
            }

            long destroyedBefore = destroyed(cluster);
            List<Long> noticesBefore = notices(cluster);
            SessionClient idle = new SessionClient();
            idle.post(lb, "/login", Map.of("user", "idle"));
            String idleId = idle.sessionId();
            try (RespConnection r = redis(cluster)) {
                // the expiry marker is what Redis expires after session.timeout.minutes: let it go now
                r.call("PEXPIRE", key(idleId) + ":expires", "1");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> r.call("EXISTS", key(idleId)).equals(0L));
            }
            // every node hears the expiry and tries to claim the session; only then is the count final
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                List<Long> now = notices(cluster);
                for (int i = 0; i < now.size(); i++) {
                    if (now.get(i) <= noticesBefore.get(i)) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(destroyed(cluster) - destroyedBefore)
                    .as("sessionDestroyed called once across the 3 nodes")
                    .isEqualTo(1);
            assertThat(idle.get(lb, "/session").body().get("exists").asBoolean())
                    .as("the expired session is gone")
                    .isFalse();
        }
    }

    private static List<Long> notices(RunningCluster cluster) throws Exception {
        List<Long> out = new ArrayList<>();
        for (var node : cluster.nodes()) {
            out.add(NodePrometheusPage.value(node.url(), "sessioncluster_redis_expiry_notices_total"));
        }
        return out;
    }

    private static long destroyed(RunningCluster cluster) throws Exception {
        long sum = 0;
        for (var node : cluster.nodes()) {
            sum += NodePrometheusPage.value(node.url(), "sessioncluster_sessions_destroyed_total");
        }
        return sum;
    }

    @Test
    void dataThatIsNotASessionHarmsOnlyItsOwnSession() throws Exception {
        String lb = roundRobin.balancerUrl();
        SessionClient bystander = new SessionClient();
        bystander.post(lb, "/login", Map.of("user", "by"));
        bystander.post(lb, "/cart/items", Map.of("item", "plum"));

        SessionClient wrongType = new SessionClient();
        wrongType.post(lb, "/login", Map.of("user", "wt"));
        SessionClient corrupt = new SessionClient();
        corrupt.post(lb, "/login", Map.of("user", "co"));
        try (RespConnection r = redis(roundRobin)) {
            r.call("DEL", key(wrongType.sessionId()));
            r.call("SET", key(wrongType.sessionId()), "not a hash");
            r.call("HSET", key(corrupt.sessionId()), "a:shop", "garbage, not Java serialization");
        }
        SessionClient.Answer asNew = wrongType.get(lb, "/session");
        assertThat(asNew.status())
                .as("a key of another type counts as no session")
                .isEqualTo(200);
        assertThat(asNew.body().get("exists").asBoolean()).isFalse();

        SessionClient.Answer refused = corrupt.get(lb, "/session");
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.text("error")).isEqualTo("session data refused");

        SessionClient.Answer fine = bystander.get(lb, "/session");
        assertThat(fine.status()).isEqualTo(200);
        assertThat(fine.body().get("cart").get(0).asText())
                .as("no other session harmed")
                .isEqualTo("plum");
        String logs = "";
        for (var node : roundRobin.nodes()) {
            logs += Files.readString(node.process().log());
        }
        assertThat(logs)
                .contains("is not a session hash of this format (WRONGTYPE); answered as no session")
                .contains("attribute 'shop' cannot be read");
    }
}
