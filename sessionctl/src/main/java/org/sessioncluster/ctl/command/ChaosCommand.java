package org.sessioncluster.ctl.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.compare.Scenario;
import org.sessioncluster.ctl.network.DelayingProxy;
import org.sessioncluster.ctl.network.LinkShape;
import org.sessioncluster.ctl.network.NetworkLab;
import org.sessioncluster.ctl.scenario.ChaosFault;
import org.sessioncluster.ctl.scenario.ChaosRun;
import org.sessioncluster.ctl.scenario.FreshCluster;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.report.TimelineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionctl chaos}: per scenario and fault, a fresh cluster in a network lab, a network fault under load. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description =
                "For each scenario and fault: start a fresh cluster whose nodes, balancer and Redis run in network"
                        + " namespaces of their own (Linux, root), run a bounded load through the balancer and, for --window,"
                        + " cut one node (drawn from --seed) off from its peers or from Redis while the balancer still"
                        + " reaches it, or make one node's link or Redis's drop packets, or make Redis answer late; heal,"
                        + " and count failed requests, lost sessions, stale answers and conflicting writes, the p99 and the"
                        + " nodes' threads during the fault and how long the nodes take to agree again. Writes results.json,"
                        + " index.html and table.md to --out.")
@OptionDefaults.Of({"--users=8", "--think=20ms", "--out=report/chaos"})
public class ChaosCommand extends ReportingCommand {
    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--scenarios",
            split = ",",
            defaultValue = "local+sticky,delta,backup,redis,redis-cluster,redisson,spring-session",
            description = "scenarios, as in compare (default: ${DEFAULT-VALUE})")
    List<String> scenarios;

    @Option(
            names = "--faults",
            split = ",",
            defaultValue = "partition-peers,partition-redis,loss-node,loss-redis,slow-redis",
            description = "partition-peers: one node cut off from the other nodes; partition-redis: one node cut off"
                    + " from Redis; loss-node: one node's link drops --loss of its packets; loss-redis: Redis's link"
                    + " does; slow-redis: every Redis reply --redis-delay late. The Redis faults run in Redis"
                    + " scenarios only (default: ${DEFAULT-VALUE})")
    List<String> faults;

    @Option(
            names = "--loss",
            defaultValue = "5%",
            description = "the share of packets a lossy link drops, from 0.1%% to 50%% (default: ${DEFAULT-VALUE})")
    String loss;

    @Option(
            names = "--redis-delay",
            defaultValue = "300ms",
            description = "how late every Redis reply comes in slow-redis (default: ${DEFAULT-VALUE})")
    Duration redisDelay;

    @Option(
            names = "--redis-jitter",
            defaultValue = "0ms",
            description = "slow-redis: up to how much later still each reply comes, drawn per reply; replies keep"
                    + " their order (default: ${DEFAULT-VALUE})")
    Duration redisJitter;

    @Option(names = "--nodes", defaultValue = "3", description = "nodes per cluster (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--before", defaultValue = "4s", description = "load before the fault (default: ${DEFAULT-VALUE})")
    Duration before;

    @Option(
            names = "--window",
            defaultValue = "10s",
            description = "how long the fault lasts (default: ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--after", defaultValue = "6s", description = "load after the heal (default: ${DEFAULT-VALUE})")
    Duration after;

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

    @Mixin
    VirtualUserOptions virtualUsers;

    @Override
    int run(PrintWriter console) throws Exception {
        FreshClusterOptions.requireSurvivors(nodes, "a partition");
        if (window.isZero() || window.isNegative()) {
            throw new BadInputException("--window " + DurationConverter.format(window)
                    + " is not allowed: the fault must last a while (e.g. 10s)");
        }
        List<Scenario> chosen;
        List<ChaosFault> chosenFaults = new ArrayList<>();
        LinkShape shape;
        double lossFraction;
        try {
            chosen = Scenario.named(scenarios);
            faults.forEach(f -> chosenFaults.add(ChaosFault.named(f)));
            shape = new LinkShape(LinkShape.parseRate(linkRate), 0);
            lossFraction = parseLoss(loss);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        NetworkLab.unavailable().ifPresent(why -> {
            throw new LaunchException("chaos needs network namespaces: " + why);
        });
        LoadPlan load = new LoadPlan(
                virtualUsers.users,
                3,
                0,
                virtualUsers.think,
                before.plus(window).plus(after),
                0,
                false);
        List<TimelineReport.Scenario> results = new ArrayList<>();
        for (Scenario scenario : chosen) {
            for (ChaosFault fault : chosenFaults) {
                ClusterConfig config = FreshCluster.config(
                        configOptions.file(), configOptions.overrides(), scenario.config(), nodes, fresh.jvmOptions);
                Optional<String> notHere = fault.notApplicable(config);
                if (notHere.isPresent()) {
                    if (fault.appliesTo(config.sessionMode())) { // a Redis fault in a mode without Redis goes unsaid
                        console.printf("== %s / %s: not run: %s%n", scenario.name(), fault.label(), notHere.get());
                    }
                    continue;
                }
                String name = scenario.name() + " / " + fault.label();
                console.printf("== %s, %d nodes, links %s%n", name, nodes, shape);
                console.flush();
                results.add(runOne(
                        name,
                        config,
                        shape,
                        new ChaosRun.Plan(
                                fault, before, window, after, load, seed, lossFraction, redisDelay, redisJitter),
                        console));
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("scenarios", chosen.stream().map(Scenario::name).toList());
        parameters.put("faults", chosenFaults.stream().map(ChaosFault::label).toList());
        parameters.put("loss", loss);
        parameters.put("redisDelayMs", redisDelay.toMillis());
        parameters.put("redisJitterMs", redisJitter.toMillis());
        parameters.put("nodes", nodes);
        parameters.put("links", shape.toString());
        parameters.put("beforeSeconds", before.toMillis() / 1000.0);
        parameters.put("windowSeconds", window.toMillis() / 1000.0);
        parameters.put("afterSeconds", after.toMillis() / 1000.0);
        parameters.put("users", virtualUsers.users);
        parameters.put("seed", seed);
        TimelineReport.write(report.out, "session-cluster: network faults under load", parameters, results);
        String table = table(results);
        Files.writeString(report.out.resolve("table.md"), table);
        console.println();
        console.println(table);
        console.println("report: " + report.out.resolve("index.html").toAbsolutePath());
        return 0;
    }

    private TimelineReport.Scenario runOne(
            String name, ClusterConfig config, LinkShape shape, ChaosRun.Plan plan, PrintWriter console)
            throws Exception {
        Path runDir = Files.createTempDirectory("chaos-");
        AtomicReference<DelayingProxy> front = new AtomicReference<>();
        try (NetworkLab lab = NetworkLab.create(shape)) {
            ClusterLauncher.Options options =
                    new ClusterLauncher.Options(fresh.war, runDir, RedisServer.Binary.AUTO, true, line -> {}, lab);
            if (plan.fault() == ChaosFault.SLOW_REDIS) {
                // the nodes reach Redis through a proxy on this process's address in the lab, which can hold replies
                options = options.withRedisFront((host, port) -> {
                    try {
                        front.set(DelayingProxy.start(lab.hostAddress(), host, port));
                    } catch (IOException e) {
                        throw new LaunchException("could not start the proxy in front of Redis: " + e.getMessage());
                    }
                    return front.get().host() + ":" + front.get().port();
                });
            }
            ClusterLauncher launcher = new ClusterLauncher(options);
            try (RunningCluster cluster = launcher.start(config)) {
                TimelineReport.Scenario s = ChaosRun.run(name, cluster, lab, front.get(), plan, line -> {
                    console.println("  " + line);
                    console.flush();
                });
                console.println("  " + s.figures());
                console.flush();
                FreshCluster.deleteQuietly(runDir); // reached only when the run succeeded: a failed one keeps its logs
                return s;
            }
        } finally {
            if (front.get() != null) {
                front.get().close();
            }
        }
    }

    /** "5%", "0.5%" or "5": a share of packets from 0.1 % to 50 %, as a fraction. */
    static double parseLoss(String text) {
        String t = text.trim();
        try {
            double percent = Double.parseDouble(
                    t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t);
            if (percent >= 0.1 && percent <= 50) {
                return percent / 100;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(
                "--loss: '" + text + "' is not a share of packets from 0.1% to 50%" + " (e.g. 5%)");
    }

    /** The results, one line per scenario and fault: what a user saw. */
    static String table(List<TimelineReport.Scenario> results) {
        List<String> columns = List.of(
                "failed requests",
                "sessions lost",
                "stale answers",
                "conflicting writes",
                "p99 during the fault (ms)",
                "node threads during the fault (most)",
                "nodes agree after the heal (ms)",
                "last failed or stale answer after the heal (s)",
                "last slow second after the heal (s)",
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
