package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * Benchmark, not a test (run with {@code scripts/bench-session-server.sh}): five 3-node clusters behind the
 * balancer, running side by side with the full JIT — local+sticky (the bar: sessions in the node's own
 * memory), redis and redisson behind sticky and behind round-robin. The same wrk load on each (48 users with
 * a small session; 9 of 10 requests read it, 1 writes), rounds interleaved. Per scenario: throughput, p50,
 * p99, node CPU and Redis CPU per request (from /proc over the metered window) and Redis commands per
 * request (MONITOR over 200 requests, outside the metered window). Writes {@code target/bench/session-server.json}.
 */
@Tag("bench")
class SessionServerBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);
    private static final int USERS = 48;
    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux (getconf CLK_TCK)
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern PERCENTILE =
            Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);

    record Scenario(String name, SessionMode mode, String policy) {}

    record Sample(
            String scenario,
            int round,
            double rps,
            double p50Ms,
            double p99Ms,
            double nodeCpuUsPerRequest,
            double redisCpuUsPerRequest) {}

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("local+sticky", SessionMode.LOCAL, "sticky"),
            new Scenario("redis+sticky", SessionMode.REDIS, "sticky"),
            new Scenario("redis+round-robin", SessionMode.REDIS, "round-robin"),
            new Scenario("redisson+sticky", SessionMode.REDISSON, "sticky"),
            new Scenario("redisson+round-robin", SessionMode.REDISSON, "round-robin"));

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
                        Map.of("node.jvm.options", "-Xmx384m -XX:+UseSerialGC"));
                clusters.put(s, c);
                scripts.put(s, loadScript(c));
                System.out.println("started " + s.name());
            }
            for (int i = 0; i < 2; i++) { // warm-up: C2 compilation, connection pools, script caches
                for (Scenario s : SCENARIOS) {
                    run(wrk, clusters.get(s), scripts.get(s), 5);
                }
            }
            Map<Scenario, Double> commands = new LinkedHashMap<>();
            for (Scenario s : SCENARIOS) {
                commands.put(s, s.mode().usesRedis() ? commandsPerRequest(clusters.get(s)) : 0.0);
                System.out.printf("%-22s %.2f Redis commands per request%n", s.name(), commands.get(s));
            }
            List<Sample> samples = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                for (Scenario s : SCENARIOS) {
                    RunningCluster c = clusters.get(s);
                    long nodeCpu0 = nodeCpuTicks(c);
                    long redisCpu0 = redisCpuTicks(c);
                    String out = run(wrk, c, scripts.get(s), SECONDS);
                    long nodeCpu = nodeCpuTicks(c) - nodeCpu0;
                    long redisCpu = redisCpuTicks(c) - redisCpu0;
                    Sample sample = parse(s.name(), round, out, nodeCpu, redisCpu);
                    samples.add(sample);
                    System.out.printf(
                            "round %d %-22s %8.0f req/s  p50 %6.3f ms  p99 %7.3f ms  node CPU %6.0f us/req  redis CPU %5.0f us/req%n",
                            round,
                            s.name(),
                            sample.rps(),
                            sample.p50Ms(),
                            sample.p99Ms(),
                            sample.nodeCpuUsPerRequest(),
                            sample.redisCpuUsPerRequest());
                }
            }
            report(samples, commands);
        } finally {
            clusters.values().forEach(RunningCluster::close);
        }
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

    /** Redis commands per request of the same mix (9 reads, 1 write), counted by MONITOR over 200 requests. */
    private static double commandsPerRequest(RunningCluster cluster) throws Exception {
        List<SessionClient> users = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SessionClient u = new SessionClient();
            u.post(cluster.balancerUrl(), "/login", Map.of("user", "m" + i));
            u.get(cluster.balancerUrl(), "/session");
            users.add(u);
        }
        try (RedisMonitor monitor =
                new RedisMonitor("127.0.0.1", cluster.config().redisEmbeddedPort())) {
            monitor.reset();
            for (int n = 1; n <= 200; n++) {
                SessionClient u = users.get(n % users.size());
                if (n % 10 == 0) {
                    u.post(cluster.balancerUrl(), "/counter", Map.of());
                } else {
                    u.get(cluster.balancerUrl(), "/session");
                }
            }
            return monitor.commandsSinceReset() / 200.0;
        }
    }

    private static long nodeCpuTicks(RunningCluster cluster) throws IOException {
        long sum = 0;
        for (ClusterNode node : cluster.nodes()) {
            sum += cpuTicks(node.process().pid());
        }
        return sum;
    }

    private static long redisCpuTicks(RunningCluster cluster) throws IOException {
        return cluster.redis().isPresent() ? cpuTicks(cluster.redis().get().pid()) : 0;
    }

    /** utime + stime of a process (all its threads), in clock ticks, from /proc/PID/stat. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the line
    }

    private static String run(Path wrk, RunningCluster cluster, Path script, int seconds) throws Exception {
        Process p = new ProcessBuilder(
                        wrk.toString(),
                        "-t1",
                        "-c" + CONNECTIONS,
                        "-d" + seconds + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        cluster.balancerUrl() + "/")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out)
                .as("wrk saw errors or non-2xx answers:\n" + out)
                .doesNotContain("Non-2xx")
                .doesNotContain("Socket errors");
        return out;
    }

    private static Sample parse(String scenario, int round, String out, long nodeTicks, long redisTicks) {
        Matcher rps = RPS.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        assertThat(rps.find() && requests.find()).as(out).isTrue();
        double n = Double.parseDouble(requests.group(1));
        double p50 = -1;
        double p99 = -1;
        Matcher m = PERCENTILE.matcher(out);
        while (m.find()) {
            double v = Double.parseDouble(m.group(2))
                    * switch (m.group(3)) {
                        case "us" -> 0.001;
                        case "s" -> 1000.0;
                        default -> 1.0;
                    };
            if (m.group(1).equals("50")) {
                p50 = v;
            } else {
                p99 = v;
            }
        }
        double usPerTick = 1_000_000.0 / CLOCK_TICKS;
        return new Sample(
                scenario,
                round,
                Double.parseDouble(rps.group(1)),
                p50,
                p99,
                nodeTicks * usPerTick / n,
                redisTicks * usPerTick / n);
    }

    private static double[] sorted(List<Sample> samples, String scenario, ToDoubleFunction<Sample> f) {
        return samples.stream()
                .filter(s -> s.scenario().equals(scenario))
                .mapToDouble(f)
                .sorted()
                .toArray();
    }

    private static double median(List<Sample> samples, String scenario, ToDoubleFunction<Sample> f) {
        double[] v = sorted(samples, scenario, f);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void report(List<Sample> samples, Map<Scenario, Double> commands) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("rounds", ROUNDS)
                .put("secondsPerRound", SECONDS)
                .put("connections", CONNECTIONS)
                .put("users", USERS)
                .put("nodes", 3)
                .put("mix", "9 GET /session : 1 POST /counter");
        ArrayNode list = root.putArray("samples");
        samples.forEach(s -> list.addObject()
                .put("scenario", s.scenario())
                .put("round", s.round())
                .put("requestsPerSecond", s.rps())
                .put("p50Ms", s.p50Ms())
                .put("p99Ms", s.p99Ms())
                .put("nodeCpuUsPerRequest", s.nodeCpuUsPerRequest())
                .put("redisCpuUsPerRequest", s.redisCpuUsPerRequest()));
        ObjectNode medians = root.putObject("medians");
        double base = median(samples, "local+sticky", Sample::rps);
        System.out.printf(
                "%nmedians of %d rounds (min-max), 3 nodes, %d connections:%n%-22s %16s %7s %9s %11s %11s %9s%n",
                ROUNDS, CONNECTIONS, "scenario", "req/s", "ratio", "p50 ms", "node us/req", "redis us/req", "cmds/req");
        for (Scenario sc : SCENARIOS) {
            String name = sc.name();
            double[] rps = sorted(samples, name, Sample::rps);
            ObjectNode m = medians.putObject(name)
                    .put("requestsPerSecond", median(samples, name, Sample::rps))
                    .put("requestsPerSecondMin", rps[0])
                    .put("requestsPerSecondMax", rps[rps.length - 1])
                    .put("ratioToLocalSticky", median(samples, name, Sample::rps) / base)
                    .put("p50Ms", median(samples, name, Sample::p50Ms))
                    .put("p99Ms", median(samples, name, Sample::p99Ms))
                    .put("nodeCpuUsPerRequest", median(samples, name, Sample::nodeCpuUsPerRequest))
                    .put("redisCpuUsPerRequest", median(samples, name, Sample::redisCpuUsPerRequest))
                    .put("redisCommandsPerRequest", commands.get(sc));
            System.out.printf(
                    "%-22s %6.0f (%.0f-%.0f) %7.2f %9.3f %11.0f %11.0f %9.2f%n",
                    name,
                    m.get("requestsPerSecond").asDouble(),
                    rps[0],
                    rps[rps.length - 1],
                    m.get("ratioToLocalSticky").asDouble(),
                    m.get("p50Ms").asDouble(),
                    m.get("nodeCpuUsPerRequest").asDouble(),
                    m.get("redisCpuUsPerRequest").asDouble(),
                    commands.get(sc));
        }
        System.out.printf(
                "goals: redis+sticky / local+sticky >= 0.90: %.2f; redis+round-robin / local+sticky >= 0.60: %.2f%n",
                medians.get("redis+sticky").get("ratioToLocalSticky").asDouble(),
                medians.get("redis+round-robin").get("ratioToLocalSticky").asDouble());
        Path out = Path.of("target", "bench", "session-server.json");
        Files.createDirectories(out.getParent());
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
        System.out.println("results: " + out.toAbsolutePath());
    }
}
