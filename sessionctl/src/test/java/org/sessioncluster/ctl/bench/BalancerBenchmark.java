package org.sessioncluster.ctl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.ExternalTools;
import org.sessioncluster.ctl.HaproxyProcess;
import org.sessioncluster.ctl.ProcessCounters;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.Wrk;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.meter.ProcessCpu;

/**
 * Benchmark, not a test (run with {@code scripts/bench-balancer.sh}): the same bounded wrk load against
 * the same 3 nodes, through our balancer and through HAProxy, alternating rounds in one run, plus the
 * nodes directly as the baseline. Prints throughput, p50, p99 and the ratios; writes
 * {@code target/bench/balancer.json}.
 */
@Tag("bench")
class BalancerBenchmark {
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 16);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup.seconds", 5);
    private static final int LATENCY_SECONDS = Integer.getInteger("bench.latency.seconds", 4);

    /** One run against one target; cpuUsPerRequest: the proxy's own CPU (/proc), 0 for the nodes directly. */
    record Sample(String target, int round, double rps, double p50Ms, double p99Ms, double cpuUsPerRequest) {}

    /**
     * One connection, one request at a time: the latency a proxy adds when nothing queues. Under the 16
     * connections of the throughput rounds, where wrk, the proxy and 3 nodes share the cores, a p50 is the
     * connections divided by the throughput (Little's law) and says nothing the throughput does not.
     */
    record Latency(String target, int round, double p50Ms, double p99Ms) {}

    @Test
    void ourBalancerAgainstHaproxy() throws Exception {
        Path wrk = ExternalTools.find("wrk")
                .orElseThrow(() -> new AssertionError("wrk is not installed: apt-get install wrk"));
        Path haproxy = ExternalTools.find("haproxy")
                .orElseThrow(() -> new AssertionError("haproxy is not installed: apt-get install haproxy"));
        Path runDir = Files.createTempDirectory("bench-balancer");
        try (RunningCluster cluster = TestClusters.startBalanced(
                SessionMode.LOCAL,
                3,
                runDir,
                "round-robin",
                Map.of(
                        ConfigKeys.BALANCER_WARMUP_REQUESTS,
                        System.getProperty("bench.balancer.warmup", "20000"), // cluster-config's default
                        ConfigKeys.NODE_JVM_OPTIONS,
                        "-Xmx384m -XX:+UseSerialGC",
                        ConfigKeys.BALANCER_JVM_OPTIONS,
                        // as cluster-config sets it, unless -Dbench.balancer.jvm says otherwise (e.g. to profile it)
                        System.getProperty("bench.balancer.jvm", "-Xmx256m -XX:+UseSerialGC")))) {
            try (HaproxyProcess proxy = HaproxyProcess.start(haproxy, cluster, runDir)) {
                Map<String, String> targets = new LinkedHashMap<>();
                targets.put("ours", cluster.balancerUrl() + "/health");
                targets.put("haproxy", proxy.url() + "/health");
                targets.put("direct", cluster.node("node-1").url() + "/health");
                Map<String, Long> pids =
                        Map.of("ours", cluster.balancer().orElseThrow().pid(), "haproxy", proxy.pid());
                // the nodes warmed first (directly, with the forwarding headers a proxy adds, so that their
                // RemoteIpValve path is compiled too): what follows is the proxies' own warm-up
                Path forwarded = runDir.resolve("forwarded.lua");
                Files.writeString(
                        forwarded,
                        "request = function() return wrk.format(\"GET\", \"/health\", {[\"X-Forwarded-For\"] ="
                                + " \"127.0.0.1\", [\"X-Forwarded-Proto\"] = \"http\", [\"X-Forwarded-Host\"] ="
                                + " \"127.0.0.1\"}) end\n");
                for (int i = 0; i < 3; i++) {
                    for (NodeAddress n : cluster.config().nodes()) {
                        Wrk.run(wrk, cluster.node(n.name()).url() + "/health", CONNECTIONS, WARMUP_SECONDS, forwarded);
                    }
                }
                // the first ten seconds of each proxy as it started: requests/s in each (a JIT warms up, HAProxy not)
                Map<String, List<Double>> firstSeconds = new LinkedHashMap<>();
                for (String t : List.of("ours", "haproxy")) {
                    List<Double> perSecond = new ArrayList<>();
                    for (int second = 0; second < 10; second++) {
                        perSecond.add(run(wrk, targets.get(t), 1).rps());
                    }
                    firstSeconds.put(t, perSecond);
                    System.out.printf(
                            "first 10 s %-8s %s req/s%n",
                            t,
                            perSecond.stream()
                                    .map(v -> String.format("%.0f", v))
                                    .toList());
                }
                for (int i = 0; i < 2; i++) {
                    for (String url : targets.values()) {
                        run(wrk, url, WARMUP_SECONDS); // warm-up: JIT compilation, connection pools
                    }
                }
                List<Sample> samples = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    for (Map.Entry<String, String> t : targets.entrySet()) {
                        Long pid = pids.get(t.getKey());
                        ProcessCpu.Ticks before = pid == null ? ProcessCpu.Ticks.NONE : ProcessCpu.of(pid);
                        Wrk.Result out = run(wrk, t.getValue(), SECONDS);
                        double cpuSeconds = pid == null ? 0 : ProcessCpu.of(pid).secondsSince(before);
                        Sample s = new Sample(
                                t.getKey(),
                                round,
                                out.rps(),
                                out.p50Ms(),
                                out.p99Ms(),
                                cpuSeconds * 1e6 / Math.max(1, out.rps() * SECONDS));
                        samples.add(s);
                        System.out.printf(
                                "round %d %-8s %9.0f req/s  p50 %6.3f ms  p99 %6.3f ms  proxy CPU %5.1f µs/req%n",
                                round, s.target(), s.rps(), s.p50Ms(), s.p99Ms(), s.cpuUsPerRequest());
                    }
                }
                List<Latency> latencies = new ArrayList<>();
                for (int round = 1; round <= ROUNDS; round++) {
                    for (Map.Entry<String, String> t : targets.entrySet()) {
                        Wrk.Result out = Wrk.run(wrk, t.getValue(), 1, LATENCY_SECONDS, null);
                        latencies.add(new Latency(t.getKey(), round, out.p50Ms(), out.p99Ms()));
                        System.out.printf(
                                "round %d %-8s one connection: p50 %6.3f ms  p99 %6.3f ms%n",
                                round, t.getKey(), out.p50Ms(), out.p99Ms());
                    }
                }
                Map<String, Counted> counted = new LinkedHashMap<>();
                for (String t : List.of("ours", "haproxy")) {
                    counted.put(t, count(wrk, targets.get(t), pids.get(t), t.equals("ours")));
                    System.out.printf("per request %-8s %s%n", t, counted.get(t).describe());
                }
                new BalancerBenchReport(ROUNDS, SECONDS, CONNECTIONS, LATENCY_SECONDS)
                        .write(samples, latencies, firstSeconds, counted);
            }
        }
    }

    /** Per request of one more run: system calls, context switches (perf), bytes allocated (jstat; JVMs only). */
    record Counted(double syscalls, double contextSwitches, double allocatedBytes) {
        String describe() {
            return (Double.isNaN(syscalls)
                            ? "syscalls and context switches not counted (needs perf: apt-get install linux-perf)"
                            : String.format(
                                    java.util.Locale.ROOT,
                                    "%.1f syscalls, %.2f context switches",
                                    syscalls,
                                    contextSwitches))
                    + (Double.isNaN(allocatedBytes)
                            ? ""
                            : String.format(java.util.Locale.ROOT, ", %.0f bytes allocated", allocatedBytes));
        }
    }

    private static Counted count(Path wrk, String url, long pid, boolean jvm) throws Exception {
        java.util.OptionalDouble allocated0 =
                jvm ? ProcessCounters.allocatedBytes(pid) : java.util.OptionalDouble.empty();
        java.util.Optional<ProcessCounters.Perf> perf = ProcessCounters.perf(pid, SECONDS);
        Wrk.Result out = run(wrk, url, SECONDS);
        java.util.Optional<ProcessCounters.Kernel> kernel =
                perf.isPresent() ? perf.get().result() : java.util.Optional.empty();
        java.util.OptionalDouble allocated1 =
                jvm ? ProcessCounters.allocatedBytes(pid) : java.util.OptionalDouble.empty();
        double n = Math.max(1, out.rps() * SECONDS);
        return new Counted(
                kernel.map(k -> k.syscalls() / n).orElse(Double.NaN),
                kernel.map(k -> k.contextSwitches() / n).orElse(Double.NaN),
                allocated0.isPresent() && allocated1.isPresent()
                        ? (allocated1.getAsDouble() - allocated0.getAsDouble()) / n
                        : Double.NaN);
    }

    private static Wrk.Result run(Path wrk, String url, int seconds) throws Exception {
        return Wrk.run(wrk, url, CONNECTIONS, seconds, null);
    }
}
