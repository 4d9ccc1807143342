package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.compare.ComparisonRunner;
import org.sessioncluster.ctl.compare.Scenario;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.report.Conclusions;
import org.sessioncluster.load.report.ReportWriter;
import org.sessioncluster.load.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl compare}: every scenario on every node count under the same load; a report with tables and charts. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = "Start a fresh cluster for each scenario and node count, run the same load through the balancer,"
                + " meter it, and write results.json, results.csv and index.html (charts, conclusions) to --out.")
public class CompareCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--quick",
            description = "a small matrix for a quick look (about 2 minutes): local+round-robin, local+sticky,"
                    + " delta, redis on 2 and 4 nodes, short runs")
    boolean quick;

    @Option(
            names = "--scenarios",
            split = ",",
            description =
                    "scenarios to run (default: all): local+round-robin, local+sticky, delta, backup, redis, redis-cluster, spring-session, redisson, redisson-memory, disk")
    List<String> scenarios;

    @Option(names = "--nodes", split = ",", description = "node counts (default: 2,3,4,6,8; --quick: 2,4)")
    List<Integer> nodes;

    @Option(names = "--users", description = "virtual users per run (default: 12)")
    Integer users;

    @Option(names = "--duration", description = "metered load per run (default: 5s; --quick: 3s)")
    String duration;

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

    @Mixin
    FreshClusterOptions fresh;

    @Option(names = "--out", defaultValue = "report", description = "report folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        List<Scenario> chosen;
        try {
            chosen = scenarios != null
                    ? Scenario.named(scenarios)
                    : quick
                            ? Scenario.named(List.of("local+round-robin", "local+sticky", "delta", "redis"))
                            : Scenario.ALL;
        } catch (IllegalArgumentException e) {
            throw new LaunchException(e.getMessage());
        }
        List<Integer> counts = nodes != null ? nodes : quick ? List.of(2, 4) : List.of(2, 3, 4, 6, 8);
        for (int n : counts) {
            if (n < 1 || n > 16) {
                throw new LaunchException("--nodes " + n + " is not allowed; allowed: 1 to 16 per run on one machine");
            }
        }
        int u = users != null ? users : 12;
        Duration d = Durations.parse("--duration", duration != null ? duration : quick ? "3s" : "5s");
        LoadPlan plan = new LoadPlan(u, 3, payload, Duration.ZERO, d, 0, churn);
        LoadPlan warmup = new LoadPlan(u, 3, payload, Duration.ZERO, Duration.ofSeconds(quick ? 1 : 2), 0, churn);
        console.printf(
                "compare: %s x nodes %s, %d users, %s per run (+ warm-up), payload %d bytes%n",
                chosen.stream().map(Scenario::name).toList(), counts, u, d.toMillis() / 1000.0 + " s", payload);
        console.flush();
        ComparisonRunner.Matrix matrix = new ComparisonRunner.Matrix(
                chosen, counts, plan, warmup, configOptions.config, fresh.war, fresh.jvmOptions);
        List<RunResult> results = new ComparisonRunner(matrix, line -> {
                    console.println(line);
                    console.flush();
                })
                .run();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("scenarios", chosen.stream().map(Scenario::name).toList());
        parameters.put("nodes", counts);
        parameters.put("users", u);
        parameters.put("secondsPerRun", d.toMillis() / 1000.0);
        parameters.put("payloadBytes", payload);
        parameters.put("itemsPerVisit", 3);
        parameters.put("visitEnds", churn ? "logout (new session per visit)" : "checkout (one session per user)");
        parameters.put("nodeJvmOptions", fresh.jvmOptions);
        ReportWriter.write(out, "session-cluster: what each session mode costs", parameters, results);
        console.println();
        Conclusions.sentences(results).forEach(s -> console.println("  " + s));
        ratio(results, console);
        console.println("report: " + out.resolve("index.html").toAbsolutePath());
        return 0;
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
