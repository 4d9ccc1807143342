package org.sessioncluster.ctl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.ExternalTools;
import org.sessioncluster.ctl.RedisMonitor;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.Wrk;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * Benchmark, not a test (run with {@code scripts/bench-session-server.sh}): seven 3-node clusters behind the
 * balancer, running side by side with the full JIT — local+sticky (the bar: sessions in the node's own
 * memory), redis and redisson behind sticky and behind round-robin, redis on a Redis Cluster and
 * spring-session behind sticky. The same wrk load on each (48 users with
 * a small session; 9 of 10 requests read it, 1 writes), rounds interleaved. Per scenario: throughput, p50,
 * p99, node CPU and Redis CPU per request (from /proc over the metered window) and Redis commands per
 * request (MONITOR over 200 requests, outside the metered window). Writes {@code target/bench/session-server.json}.
 */
@Tag("bench")
class SessionServerBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);
    private static final int USERS = 48;
    static final long CLOCK_TICKS = 100; // USER_HZ on Linux (getconf CLK_TCK)
    private static final int WARM_UP_SECONDS = 5;
    private static final int WARM_UP_MIN_RUNS = 14;
    private static final int WARM_UP_MAX_RUNS = Integer.getInteger("bench.warmup.max", 40);

    record Scenario(String name, SessionMode mode, String policy, Map<String, String> more) {
        Scenario(String name, SessionMode mode, String policy) {
            this(name, mode, policy, Map.of());
        }
    }

    record Sample(
            String scenario,
            int round,
            double rps,
            double p50Ms,
            double p99Ms,
            double nodeCpuUsPerRequest,
            double redisCpuUsPerRequest,
            double balancerCpuUsPerRequest) {}

    static final List<Scenario> ALL_SCENARIOS = List.of(
            new Scenario("local+sticky", SessionMode.LOCAL, "sticky"),
            new Scenario("redis+sticky", SessionMode.REDIS, "sticky"),
            new Scenario("redis+round-robin", SessionMode.REDIS, "round-robin"),
            new Scenario(
                    "redis-cluster+sticky",
                    SessionMode.REDIS,
                    "sticky",
                    Map.of(ConfigKeys.REDIS_EMBEDDED_CLUSTER, "true")),
            new Scenario("redisson+sticky", SessionMode.REDISSON, "sticky"),
            new Scenario("redisson+round-robin", SessionMode.REDISSON, "round-robin"),
            new Scenario("spring-session+sticky", SessionMode.SPRING_SESSION, "sticky"));

    /** The scenarios of this run: all, or those named in {@code bench.scenarios} (comma-separated). */
    static final List<Scenario> SCENARIOS = chosen(System.getProperty("bench.scenarios", ""));

    static List<Scenario> chosen(String names) {
        if (names.isBlank()) {
            return ALL_SCENARIOS;
        }
        List<String> wanted = new ArrayList<>(List.of(names.trim().split("\\s*,\\s*")));
        if (!wanted.contains("local+sticky")) {
            wanted.add(0, "local+sticky"); // the bar every ratio is taken against
        }
        List<Scenario> out =
                ALL_SCENARIOS.stream().filter(s -> wanted.contains(s.name())).toList();
        if (out.size() != wanted.size()) {
            throw new IllegalArgumentException("bench.scenarios: " + names + " — known: "
                    + ALL_SCENARIOS.stream().map(Scenario::name).toList());
        }
        return out;
    }

    @Test
    void sessionServerAgainstLocalMemory() throws Exception {
        Path wrk = ExternalTools.find("wrk")
                .orElseThrow(() -> new AssertionError("wrk is not installed: apt-get install wrk"));
        Map<Scenario, RunningCluster> clusters = new LinkedHashMap<>();
        Map<Scenario, Path> scripts = new LinkedHashMap<>();
        try {
            for (Scenario s : SCENARIOS) {
                RunningCluster c = TestClusters.startBalanced(
                        s.mode(),
                        3,
                        Files.createTempDirectory("bench-" + s.mode().configName()),
                        s.policy(),
                        withJvm(s.more()));
                clusters.put(s, c);
                scripts.put(s, loadScript(c));
                System.out.println("started " + s.name());
            }
            // Commands are counted first: the logins and cart adds they make run code the benchmark's mix does not,
            // and a JIT that meets new paths after the warm-up recompiles in the first rounds.
            Map<Scenario, Map<String, Double>> commands = new LinkedHashMap<>();
            for (Scenario s : SCENARIOS) {
                commands.put(s, s.mode().usesRedis() ? commandsPerRequest(clusters.get(s)) : Map.of("mix", 0.0));
                System.out.printf("%-22s Redis commands per request: %s%n", s.name(), commands.get(s));
            }
            Map<String, RunningCluster> byName = new LinkedHashMap<>();
            clusters.forEach((s, c) -> byName.put(s.name(), c));
            Map<String, Scenario> scenarioByName = new LinkedHashMap<>();
            SCENARIOS.forEach(s -> scenarioByName.put(s.name(), s));
            Map<String, List<ClusterWarmUp.Run>> warmUp = new ClusterWarmUp(
                            WARM_UP_SECONDS, WARM_UP_MIN_RUNS, WARM_UP_MAX_RUNS)
                    .warm(
                            byName,
                            (name, seconds) -> run(
                                            wrk, byName.get(name), scripts.get(scenarioByName.get(name)), seconds)
                                    .requests());
            List<Sample> samples = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                for (Scenario s : SCENARIOS) {
                    RunningCluster c = clusters.get(s);
                    long nodeCpu0 = nodeCpuTicks(c);
                    long redisCpu0 = redisCpuTicks(c);
                    long balancerCpu0 = balancerCpuTicks(c);
                    Wrk.Result out = run(wrk, c, scripts.get(s), SECONDS);
                    long nodeCpu = nodeCpuTicks(c) - nodeCpu0;
                    long redisCpu = redisCpuTicks(c) - redisCpu0;
                    long balancerCpu = balancerCpuTicks(c) - balancerCpu0;
                    Sample sample = parse(s.name(), round, out, nodeCpu, redisCpu, balancerCpu);
                    samples.add(sample);
                    System.out.printf(
                            "round %d %-22s %8.0f req/s  p50 %6.3f ms  p99 %7.3f ms  CPU us/req: nodes %4.0f  Redis %4.0f  balancer %4.0f%n",
                            round,
                            s.name(),
                            sample.rps(),
                            sample.p50Ms(),
                            sample.p99Ms(),
                            sample.nodeCpuUsPerRequest(),
                            sample.redisCpuUsPerRequest(),
                            sample.balancerCpuUsPerRequest());
                }
            }
            Map<Scenario, Integer> kept = new LinkedHashMap<>();
            for (Scenario s : SCENARIOS) {
                kept.put(s, parallelAdds(clusters.get(s).balancerUrl()));
            }
            SessionServerReport.write(SCENARIOS, samples, commands, kept, warmUp, ROUNDS, SECONDS, CONNECTIONS, USERS);
        } finally {
            clusters.values().forEach(RunningCluster::close);
        }
    }

    private static Map<String, String> withJvm(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(more);
        all.put(ConfigKeys.NODE_JVM_OPTIONS, "-Xmx384m -XX:+UseSerialGC");
        all.put(
                ConfigKeys.BALANCER_JVM_OPTIONS,
                "-Xmx384m -XX:+UseSerialGC"); // as the nodes, as it ran before it had its own
        all.put(ConfigKeys.BALANCER_WARMUP_REQUESTS, "20000"); // cluster-config's default (tests turn it off)
        return all;
    }

    /** Logs in USERS users through the balancer and writes a wrk script that spreads requests over them. */
    private static Path loadScript(RunningCluster cluster) throws Exception {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < USERS; i++) {
            SessionClient user = new SessionClient();
            user.post(cluster.balancerUrl(), "/login", Map.of("user", "u" + i));
            ids.append(i == 0 ? "" : ", ").append('"').append(user.sessionId()).append('"');
        }
        String lua = "local ids = {" + ids + "}\n"
                + "local n = 0\n"
                + "request = function()\n"
                + "  n = n + 1\n"
                + "  local cookie = \"JSESSIONID=\" .. ids[(n % #ids) + 1]\n"
                + "  if n % 10 == 0 then\n"
                + "    return wrk.format(\"POST\", \"/counter\", {[\"Cookie\"] = cookie,"
                + " [\"Content-Type\"] = \"application/x-www-form-urlencoded\"}, \"\")\n"
                + "  end\n"
                + "  return wrk.format(\"GET\", \"/session\", {[\"Cookie\"] = cookie})\n"
                + "end\n";
        Path script = cluster.runDir().resolve("bench.lua");
        Files.writeString(script, lua);
        return script;
    }

    /**
     * Redis commands per request, counted by MONITOR: of the benchmark's mix (9 reads, 1 write; 200 requests),
     * and of each kind on its own — a login that makes a session, a read (100), a cart add (20), a login
     * that renames the session.
     */
    private static Map<String, Double> commandsPerRequest(RunningCluster cluster) throws Exception {
        String lb = cluster.balancerUrl();
        List<SessionClient> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SessionClient u = new SessionClient();
            u.post(lb, "/login", Map.of("user", "m" + i));
            u.get(lb, "/session");
            users.add(u);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        try (Monitors monitor = new Monitors(cluster)) {
            monitor.reset();
            for (int n = 1; n <= 200; n++) {
                SessionClient u = users.get(n % users.size());
                if (n % 10 == 0) {
                    u.post(lb, "/counter", Map.of());
                } else {
                    u.get(lb, "/session");
                }
            }
            out.put("mix", monitor.commandsSinceReset() / 200.0);
            SessionClient one = new SessionClient();
            monitor.reset();
            one.post(lb, "/login", Map.of("user", "k"));
            out.put("login", (double) monitor.commandsSinceReset());
            one.get(lb, "/session");
            monitor.reset();
            for (int n = 0; n < 100; n++) {
                one.get(lb, "/session");
            }
            out.put("read", monitor.commandsSinceReset() / 100.0);
            monitor.reset();
            for (int n = 0; n < 20; n++) {
                one.post(lb, "/cart/items", Map.of("item", "i" + n));
            }
            out.put("cart add", monitor.commandsSinceReset() / 20.0);
            monitor.reset();
            one.post(lb, "/login", Map.of("user", "k2"));
            out.put("login (rename)", (double) monitor.commandsSinceReset());
        }
        return out;
    }

    private static long nodeCpuTicks(RunningCluster cluster) throws IOException {
        return ClusterWarmUp.nodeCpuTicks(cluster);
    }

    private static long balancerCpuTicks(RunningCluster cluster) throws IOException {
        return cluster.balancer().isPresent()
                ? cpuTicks(cluster.balancer().get().pid())
                : 0;
    }

    /** Every Redis process of the run: the one Redis, or all primaries and replicas of a Redis Cluster. */
    private static long redisCpuTicks(RunningCluster cluster) throws IOException {
        long sum = cluster.redis().isPresent() ? cpuTicks(cluster.redis().get().pid()) : 0;
        for (var helper : cluster.redisHelpers()) {
            sum += cpuTicks(helper.pid());
        }
        return sum;
    }

    /** MONITOR on every primary the sessions live on (one, or each shard of a Redis Cluster), summed. */
    private static final class Monitors implements AutoCloseable {
        private final List<RedisMonitor> all = new ArrayList<>();

        Monitors(RunningCluster cluster) throws IOException {
            List<String> shards = cluster.config().redis().clusterNodes();
            if (shards.isEmpty()) {
                all.add(new RedisMonitor("127.0.0.1", cluster.config().redis().embeddedPort()));
            } else {
                for (String address : shards.subList(0, 3)) {
                    java.net.URI uri = java.net.URI.create(address);
                    all.add(new RedisMonitor(uri.getHost(), uri.getPort()));
                }
            }
        }

        void reset() throws IOException {
            for (RedisMonitor m : all) {
                m.reset();
            }
        }

        long commandsSinceReset() throws IOException {
            long n = 0;
            for (RedisMonitor m : all) {
                n += m.commandsSinceReset();
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            for (RedisMonitor m : all) {
                m.close();
            }
        }
    }

    /** utime + stime of a process (all its threads), in clock ticks, from /proc/PID/stat. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the line
    }

    private static Wrk.Result run(Path wrk, RunningCluster cluster, Path script, int seconds) throws Exception {
        return Wrk.run(wrk, cluster.balancerUrl() + "/", CONNECTIONS, seconds, script);
    }

    private static Sample parse(
            String scenario, int round, Wrk.Result r, long nodeTicks, long redisTicks, long balancerTicks) {
        double n = r.requests();
        double usPerTick = 1_000_000.0 / CLOCK_TICKS;
        return new Sample(
                scenario,
                round,
                r.rps(),
                r.p50Ms(),
                r.p99Ms(),
                nodeTicks * usPerTick / n,
                redisTicks * usPerTick / n,
                balancerTicks * usPerTick / n);
    }

    /** 50 cart adds sent at once on one session through the balancer: how many the cart holds afterwards. */
    private static int parallelAdds(String lb) throws Exception {
        SessionClient user = new SessionClient();
        user.post(lb, "/login", Map.of("user", "par"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<Integer>> adds = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String item = "item-" + i;
                adds.add(pool.submit(
                        () -> user.post(lb, "/cart/items", Map.of("item", item)).status()));
            }
            for (var f : adds) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return user.get(lb, "/cart").body().get("cart").size();
    }
}
