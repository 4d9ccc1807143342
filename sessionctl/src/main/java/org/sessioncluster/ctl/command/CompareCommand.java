package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.compare.ComparisonRunner;
import org.sessioncluster.ctl.compare.MemoryLadderRun;
import org.sessioncluster.ctl.compare.Scenario;
import org.sessioncluster.ctl.network.LinkShape;
import org.sessioncluster.ctl.network.NetworkLab;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.report.Conclusions;
import org.sessioncluster.load.report.MemoryLadder;
import org.sessioncluster.load.report.ReportWriter;
import org.sessioncluster.load.report.RunResult;
import org.sessioncluster.load.report.ScaleModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionctl compare}: every scenario on every node count under the same load; a report with tables and charts. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "Run every scenario on every node count under the same load through the balancer, in groups of"
                + " clusters side by side (local+sticky in each) that grow from the smallest node count; meter CPU per"
                + " request of every process, bytes and Redis commands over alternating rounds, and write"
                + " results.json, results.csv and index.html (charts, conclusions) to --out.")
@OptionDefaults.Of({"--out=report", "--jvm-options=" + CompareCommand.FULL_JIT_OPTIONS})
public class CompareCommand extends ReportingCommand {
    /** Node JVM options of a comparison: the full JIT (C2), as a deployment runs. */
    static final String FULL_JIT_OPTIONS = "-Xmx192m -XX:+UseSerialGC -Xss512k";

    /** Clusters running side by side (local+sticky, the baseline, among them). */
    static final int GROUP_SIZE = 6;

    /** Rounds of the memory ladder at the end of a comparison, and their length per rung. */
    static final int LADDER_ROUNDS = 3;

    static final int LADDER_ROUND_MILLIS = 600;

    /** Warm-up runs (of 2 s) each fresh cluster gets before its first rounds. */
    static final int FIRST_WARMUPS = 2;

    /** A link's one-way delay under --network shaped where the kernel has netem: a link inside one data centre. */
    static final long DEFAULT_DELAY_MICROS = 200;

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--quick",
            description = "a small matrix for a quick look (under 3 minutes): local+round-robin, local+sticky,"
                    + " delta, redis, redisson on 2 and 4 nodes, short rounds")
    boolean quick;

    @Option(
            names = "--scenarios",
            split = ",",
            description =
                    "scenarios to run (default: all): local+round-robin, local+sticky, delta, backup, redis, redis-cluster, spring-session, redisson, redisson-memory, disk")
    List<String> scenarios;

    @Option(names = "--nodes", split = ",", description = "node counts (default: 2,4,8; --quick: 2,4)")
    List<Integer> nodes;

    @Option(names = "--users", description = "virtual users per run (default: 12)")
    Integer users;

    @Option(names = "--duration", description = "metered load per round (default: 2s)")
    Duration duration;

    @Option(
            names = "--rounds",
            description = "metered runs of each scenario on each node count, alternating with the other scenarios"
                    + " of its group (default: 3)")
    Integer rounds;

    @Option(
            names = "--payload",
            defaultValue = "1024",
            description = "bytes stored in each session per visit (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(
            names = "--churn",
            description = "log out at the end of every visit (a new session per visit) instead of a"
                    + " checkout; adds session creation and expiry traffic to the writes")
    boolean churn;

    @Option(
            names = "--network",
            defaultValue = "loopback",
            description = "loopback: every process on 127.0.0.1, where the network costs nothing; shaped (Linux, root):"
                    + " each node, the balancer and Redis in a network namespace of its own, joined to a bridge by"
                    + " a link of --link-rate and --link-delay (default: ${DEFAULT-VALUE})")
    String network;

    @Option(
            names = "--link-rate",
            defaultValue = "100mbit",
            description = "with --network shaped: each link's rate, e.g. 100mbit, 1gbit (default: ${DEFAULT-VALUE})")
    String linkRate;

    @Option(
            names = "--link-delay",
            description =
                    "with --network shaped: each link's one-way delay, e.g. 0.2ms (default: 0.2ms where the kernel"
                            + " has netem, else 0: tbf gives the rate alone)")
    String linkDelay;

    @Option(
            names = "--model-rate",
            defaultValue = "1000",
            description = "the scale model's request rate per node, requests/s (default: ${DEFAULT-VALUE})")
    double modelRate;

    @Option(
            names = "--model-session-bytes",
            defaultValue = "10240",
            description = "the scale model's session size in bytes (default: ${DEFAULT-VALUE})")
    double modelSessionBytes;

    @Option(
            names = "--model-link-mbit",
            defaultValue = "1000",
            description = "the scale model's link, Mbit/s (default: ${DEFAULT-VALUE})")
    double modelLinkMbit;

    @Option(
            names = "--no-ladder",
            description = "leave out the memory ladder the comparison ends with (one session save timed in the heap,"
                    + " in Redis, in a file and in a synced file; about 10 s)")
    boolean noLadder;

    @Mixin
    FreshClusterOptions fresh;

    @Override
    int run(PrintWriter console) throws Exception {
        List<Scenario> chosen;
        try {
            chosen = scenarios != null
                    ? Scenario.named(scenarios)
                    : quick
                            ? Scenario.named(List.of("local+round-robin", "local+sticky", "delta", "redis", "redisson"))
                            : Scenario.ALL;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        List<Integer> counts = nodes != null ? nodes : quick ? List.of(2, 4) : List.of(2, 4, 8);
        for (int n : counts) {
            if (n < 1 || n > 16) {
                throw new BadInputException(
                        "--nodes " + n + " is not allowed; allowed: 1 to 16 per run on one machine");
            }
        }
        int u = users != null ? users : 12;
        Duration d = duration != null ? duration : Duration.ofSeconds(2);
        int r = rounds != null ? rounds : 3;
        if (r < 1 || r > 20) {
            throw new BadInputException("--rounds " + r + " is not allowed; allowed: 1 to 20");
        }
        if (!(modelRate > 0) || !(modelSessionBytes > 0) || !(modelLinkMbit > 0)) {
            throw new BadInputException("--model-rate, --model-session-bytes and --model-link-mbit must be positive");
        }
        ScaleModel.Assumptions model = new ScaleModel.Assumptions(
                modelRate,
                modelSessionBytes,
                payload,
                modelLinkMbit * 1e6,
                List.of(16, 32, 64),
                Map.of("redis-cluster", org.sessioncluster.ctl.cluster.RedisClusterSetup.PRIMARIES));
        LoadPlan plan;
        LoadPlan warmup;
        try {
            plan = new LoadPlan(u, 3, payload, Duration.ZERO, d, 0, churn);
            warmup = new LoadPlan(u, 3, payload, Duration.ZERO, Duration.ofSeconds(2), 0, churn);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad load option: " + e.getMessage());
        }
        String jvm = fresh.jvmOptions;
        LinkShape shape = linkShape(chosen);
        // the config every cluster starts from, read now: a bad --set is refused before anything starts
        LoadCommand.requirePayloadWithin(payload, configOptions.load(Map.of()));
        console.printf(
                "compare: %s x nodes %s, %d round%s of %s, %d users, payload %d bytes; node JVMs: %s; network: %s%n",
                chosen.stream().map(Scenario::name).toList(),
                counts,
                r,
                r == 1 ? "" : "s",
                d.toMillis() / 1000.0 + " s",
                u,
                payload,
                jvm,
                networkText(shape));
        console.flush();
        ComparisonRunner.Matrix matrix = new ComparisonRunner.Matrix(
                chosen,
                counts,
                r,
                GROUP_SIZE,
                plan,
                warmup,
                FIRST_WARMUPS,
                configOptions.file(),
                configOptions.overrides(),
                fresh.war,
                jvm,
                shape);
        List<RunResult> results = new ComparisonRunner(matrix, line -> {
                    console.println(line);
                    console.flush();
                })
                .run();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("scenarios", chosen.stream().map(Scenario::name).toList());
        parameters.put("nodes", counts);
        parameters.put("users", u);
        parameters.put("rounds", r);
        parameters.put("secondsPerRound", d.toMillis() / 1000.0);
        parameters.put("payloadBytes", payload);
        parameters.put("itemsPerVisit", 3);
        parameters.put("visitEnds", churn ? "logout (new session per visit)" : "checkout (one session per user)");
        parameters.put("nodeJvmOptions", jvm);
        parameters.put("network", networkText(shape));
        MemoryLadder memoryLadder = noLadder
                ? null
                : new MemoryLadderRun(
                                configOptions.runDir.path().resolve("memory-ladder"),
                                LADDER_ROUNDS,
                                Duration.ofMillis(LADDER_ROUND_MILLIS),
                                payload,
                                line -> {
                                    console.println("        " + line);
                                    console.flush();
                                })
                        .run();
        ReportWriter.write(
                report.out, "session-cluster: what each session mode costs", parameters, results, model, memoryLadder);
        console.println();
        Conclusions.sentences(results).forEach(s -> console.println("  " + s));
        ScaleModel.sentences(ScaleModel.fit(results), model).forEach(s -> console.println("  " + s));
        if (memoryLadder != null) {
            console.println("  " + memoryLadder.finding());
        }
        ratio(results, console);
        console.println("report: " + report.out.resolve("index.html").toAbsolutePath());
        return 0;
    }

    /** Null for the loopback; else every link's shape, checked against what this machine can do. */
    private LinkShape linkShape(List<Scenario> chosen) {
        if ("loopback".equals(network)) {
            return null;
        }
        if (!"shaped".equals(network)) {
            throw new BadInputException("--network " + network + " is not allowed; allowed: loopback, shaped");
        }
        NetworkLab.unavailable().ifPresent(why -> {
            throw new BadInputException("--network shaped: " + why);
        });
        try {
            long rate = LinkShape.parseRate(linkRate);
            long delay = linkDelay != null
                    ? LinkShape.parseDelayMicros(linkDelay)
                    : NetworkLab.netemAvailable() ? DEFAULT_DELAY_MICROS : 0;
            if (delay > 0 && !NetworkLab.netemAvailable()) {
                throw new BadInputException(
                        "--link-delay " + linkDelay + ": this kernel has no netem queueing discipline"
                                + " (sch_netem), which a delay needs; --link-delay 0ms shapes the rate alone");
            }
            LinkShape shape = new LinkShape(rate, delay);
            return shape;
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--link-rate/--link-delay: " + e.getMessage());
        }
    }

    private static String networkText(LinkShape shape) {
        return shape == null
                ? "loopback (every process on 127.0.0.1)"
                : "shaped (each node, the balancer and Redis in a network namespace of its own; every link " + shape
                        + (shape.delayMicros() == 0 ? ", no delay: this kernel has no netem" : "")
                        + "; the load from this machine over the bridge)";
    }

    /** The session server against the sticky baseline at 3 nodes (or the smallest common node count). */
    private static void ratio(List<RunResult> results, PrintWriter console) {
        for (int n : Arrays.asList(3, 2, 4)) {
            RunResult redis = find(results, "redis", n);
            RunResult sticky = find(results, "local+sticky", n);
            if (redis != null && sticky != null) {
                console.printf(
                        "  throughput redis / local+sticky at %d nodes: %.2f%n",
                        n, redis.load().throughput() / sticky.load().throughput());
                return;
            }
        }
    }

    private static RunResult find(List<RunResult> results, String scenario, int nodes) {
        return results.stream()
                .filter(r -> r.scenario().equals(scenario) && r.nodes() == nodes)
                .findFirst()
                .orElse(null);
    }
}
