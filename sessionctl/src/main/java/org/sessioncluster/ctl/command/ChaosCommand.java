package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.compare.Scenario;
import org.sessioncluster.ctl.network.LinkShape;
import org.sessioncluster.ctl.network.NetworkLab;
import org.sessioncluster.ctl.scenario.ChaosRun;
import org.sessioncluster.ctl.scenario.FreshCluster;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.report.TimelineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl chaos}: per scenario and fault, a fresh cluster in a network lab, one node cut off under load. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description =
                "For each scenario and fault: start a fresh cluster whose nodes, balancer and Redis run in network"
                        + " namespaces of their own (Linux, root), run a bounded load through the balancer, cut one node (drawn"
                        + " from --seed) off from its peers or from Redis for --window while the balancer still reaches it,"
                        + " heal, and count failed requests, lost sessions, stale answers and conflicting writes, the p99"
                        + " during the cut and how long the nodes take to agree again. Writes results.json and index.html to"
                        + " --out.")
public class ChaosCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--scenarios",
            split = ",",
            defaultValue = "local+sticky,delta,backup,redis,redisson,spring-session",
            description = "scenarios, as in compare (default: ${DEFAULT-VALUE})")
    List<String> scenarios;

    @Option(
            names = "--faults",
            split = ",",
            defaultValue = "partition-peers,partition-redis",
            description = "partition-peers: one node cut off from the other nodes; partition-redis: one node cut off"
                    + " from Redis (Redis scenarios only) (default: ${DEFAULT-VALUE})")
    List<String> faults;

    @Option(names = "--nodes", defaultValue = "3", description = "nodes per cluster (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--before", defaultValue = "4s", description = "load before the cut (default: ${DEFAULT-VALUE})")
    String before;

    @Option(
            names = "--window",
            defaultValue = "10s",
            description = "how long the cut lasts (default: ${DEFAULT-VALUE})")
    String window;

    @Option(names = "--after", defaultValue = "6s", description = "load after the heal (default: ${DEFAULT-VALUE})")
    String after;

    @Option(names = "--users", defaultValue = "8", description = "virtual users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(
            names = "--think",
            defaultValue = "20ms",
            description = "pause between a user's requests (default: ${DEFAULT-VALUE})")
    String think;

    @Option(
            names = "--link-rate",
            defaultValue = "100mbit",
            description = "every link's rate in the lab (default: ${DEFAULT-VALUE})")
    String linkRate;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "draws the node cut off and the moment (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    FreshClusterOptions fresh;

    @Option(names = "--out", defaultValue = "report/chaos", description = "report folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter console = spec.commandLine().getOut();
        FreshClusterOptions.requireSurvivors(nodes, "a partition");
        List<Scenario> chosen;
        List<ChaosRun.Fault> chosenFaults = new ArrayList<>();
        LinkShape shape;
        try {
            chosen = Scenario.named(scenarios);
            faults.forEach(f -> chosenFaults.add(ChaosRun.Fault.named(f)));
            shape = new LinkShape(LinkShape.parseRate(linkRate), 0);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(e.getMessage());
        }
        for (Scenario s : chosen) {
            if ("true".equals(s.config().get("redis.embedded.cluster"))) {
                throw new LaunchException("chaos runs one Redis per cluster in a network lab; scenario " + s.name()
                        + " needs a Redis Cluster: leave it out");
            }
        }
        NetworkLab.unavailable().ifPresent(why -> {
            throw new LaunchException("chaos needs network namespaces: " + why);
        });
        Duration b = Durations.parse("--before", before);
        Duration w = Durations.parse("--window", window);
        Duration a = Durations.parse("--after", after);
        LoadPlan load = new LoadPlan(
                users, 3, 0, Durations.parse("--think", think), b.plus(w).plus(a), 0, false);
        List<TimelineReport.Scenario> results = new ArrayList<>();
        for (Scenario scenario : chosen) {
            for (ChaosRun.Fault fault : chosenFaults) {
                ClusterConfig config =
                        FreshCluster.config(configOptions.config, merged(scenario.config()), nodes, fresh.jvmOptions);
                if (!fault.appliesTo(config.sessionMode())) {
                    continue;
                }
                String name = scenario.name() + " / " + fault.label();
                console.printf("== %s, %d nodes, links %s%n", name, nodes, shape);
                console.flush();
                results.add(runOne(name, config, shape, new ChaosRun.Plan(fault, b, w, a, load, seed), console));
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("scenarios", chosen.stream().map(Scenario::name).toList());
        parameters.put(
                "faults", chosenFaults.stream().map(ChaosRun.Fault::label).toList());
        parameters.put("nodes", nodes);
        parameters.put("links", shape.toString());
        parameters.put("beforeSeconds", b.toMillis() / 1000.0);
        parameters.put("windowSeconds", w.toMillis() / 1000.0);
        parameters.put("afterSeconds", a.toMillis() / 1000.0);
        parameters.put("users", users);
        parameters.put("seed", seed);
        TimelineReport.write(out, "session-cluster: partitions under load", parameters, results);
        String table = table(results);
        Files.writeString(out.resolve("table.md"), table);
        console.println();
        console.println(table);
        console.println("report: " + out.resolve("index.html").toAbsolutePath());
        return 0;
    }

    private Map<String, String> merged(Map<String, String> scenario) {
        Map<String, String> keys = new LinkedHashMap<>(configOptions.overrides);
        keys.putAll(scenario);
        return keys;
    }

    private TimelineReport.Scenario runOne(
            String name, ClusterConfig config, LinkShape shape, ChaosRun.Plan plan, PrintWriter console)
            throws Exception {
        Path runDir = Files.createTempDirectory("chaos-");
        try (NetworkLab lab = NetworkLab.create(shape)) {
            ClusterLauncher launcher = new ClusterLauncher(
                    new ClusterLauncher.Options(fresh.war, runDir, RedisServer.Binary.AUTO, true, line -> {}, lab));
            try (RunningCluster cluster = launcher.start(config)) {
                TimelineReport.Scenario s = ChaosRun.run(name, cluster, lab, plan, line -> {
                    console.println("  " + line);
                    console.flush();
                });
                console.println("  " + s.figures());
                console.flush();
                FreshCluster.deleteQuietly(runDir); // reached only when the run succeeded: a failed one keeps its logs
                return s;
            }
        }
    }

    /** The results, one line per scenario and fault: what a user saw. */
    static String table(List<TimelineReport.Scenario> results) {
        List<String> columns = List.of(
                "failed requests",
                "sessions lost",
                "stale answers",
                "conflicting writes",
                "p99 during the cut (ms)",
                "nodes agree after the heal (ms)",
                "last failed or stale answer after the heal (s)",
                "cluster CPU per request (µs)");
        StringBuilder sb = new StringBuilder("| scenario / fault | " + String.join(" | ", columns) + " |\n|---|");
        columns.forEach(c -> sb.append("---|"));
        sb.append('\n');
        for (TimelineReport.Scenario s : results) {
            sb.append("| ").append(s.name()).append(" |");
            columns.forEach(c -> sb.append(' ').append(s.figures().get(c)).append(" |"));
            sb.append('\n');
        }
        return sb.toString();
    }
}
