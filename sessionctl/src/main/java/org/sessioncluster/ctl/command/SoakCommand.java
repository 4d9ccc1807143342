package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.scenario.FreshCluster;
import org.sessioncluster.ctl.scenario.SoakRun;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.report.TimelineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionctl soak}: per session mode, a long load while nodes are killed and restarted at seeded random moments. */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description =
                "For each mode: start a fresh cluster, run a bounded load through the balancer for --duration while"
                        + " nodes are SIGKILLed and restarted at random moments drawn from --seed (one at a time), and report"
                        + " requests, failed requests, failed GETs, lost and stale sessions, peak heap per node and whether the"
                        + " live heap grows. Writes results.json and index.html to --out. Exit code 3 when a goal is missed"
                        + " (a session lost, a stale answer, a GET failed, the live heap growing).")
@OptionDefaults.Of({
    "--modes=delta,backup,redis,redisson",
    "--nodes=3",
    "--policy=round-robin",
    "--duration=10m",
    "--users=12",
    "--think=20ms",
    "--out=report/soak"
})
public class SoakCommand extends ReportingCommand {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ModeRunOptions runs;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "draws the victims and moments (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--gap-min",
            defaultValue = "20s",
            description = "shortest pause before a fault (default: ${DEFAULT-VALUE})")
    Duration gapMin;

    @Option(
            names = "--gap-max",
            defaultValue = "60s",
            description = "longest pause before a fault (default: ${DEFAULT-VALUE})")
    Duration gapMax;

    @Option(
            names = "--down-min",
            defaultValue = "2s",
            description = "shortest time a killed node stays down (default: ${DEFAULT-VALUE})")
    Duration downMin;

    @Option(
            names = "--down-max",
            defaultValue = "10s",
            description = "longest time a killed node stays down (default: ${DEFAULT-VALUE})")
    Duration downMax;

    @Option(
            names = "--max-heap-growth",
            defaultValue = "2",
            description = "MB per minute of live-heap growth (heap in use after a full collection, measured every"
                    + " --heap-every per node) above which the heap counts as growing (default: ${DEFAULT-VALUE})")
    double maxHeapGrowth;

    @Option(
            names = "--heap-every",
            defaultValue = "10s",
            description = "how often each node's live heap is measured (a full collection by jcmd, about 0.1 s of"
                    + " CPU); the first 1.5 intervals after a node (re)starts are its warm-up and not judged, and a"
                    + " node needs three measurements after it to be judged (default: ${DEFAULT-VALUE})")
    Duration heapEvery;

    @Option(
            names = "--restart-allowance",
            defaultValue = "15s",
            description = "how long a restart may take: no fault is drawn that could not end (down time and restart)"
                    + " before the load does (default: ${DEFAULT-VALUE})")
    Duration restartAllowance;

    @Override
    int run(PrintWriter console) throws Exception {
        List<SessionMode> chosen = runs.chosen("a soak");
        SoakRun.Plan plan;
        try {
            LoadPlan loadPlan = runs.load();
            plan = new SoakRun.Plan(
                    seed, gapMin, gapMax, downMin, downMax, maxHeapGrowth, heapEvery, restartAllowance, loadPlan);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        List<TimelineReport.Scenario> scenarios = new ArrayList<>();
        boolean goalsMet = true;
        for (SessionMode mode : chosen) {
            ClusterConfig config = runs.config(configOptions.file(), configOptions.overrides(), mode);
            console.printf(
                    "== %s, %s, %d nodes, %s, seed %d%n",
                    mode.configName(), runs.policy, runs.nodes, DurationConverter.format(runs.duration), seed);
            console.flush();
            Path runDir = Files.createTempDirectory("soak-" + mode.configName() + "-");
            ClusterLauncher launcher = new ClusterLauncher(runs.launch(runDir));
            TimelineReport.Scenario s;
            try (RunningCluster cluster = launcher.start(config)) {
                s = SoakRun.run(mode.configName() + "+" + runs.policy, cluster, launcher, plan, line -> {
                    console.println("  " + line);
                    console.flush();
                });
            }
            scenarios.add(s);
            console.println("  " + s.figures());
            console.flush();
            Map<String, Object> f = s.figures();
            boolean met = ((Number) f.get("sessions lost")).longValue() == 0
                    && ((Number) f.get("stale answers")).longValue() == 0
                    && ((Number) f.get("failed GETs")).longValue() == 0
                    && !((Boolean) f.get("heap grows"));
            goalsMet &= met;
            if (met) {
                FreshCluster.deleteQuietly(runDir);
            } else {
                console.println(
                        "  goal missed: the node, balancer and Redis logs are kept in " + runDir.resolve("logs"));
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("nodes", runs.nodes);
        parameters.put("policy", runs.policy);
        parameters.put("seed", seed);
        parameters.put("gapSeconds", DurationConverter.format(gapMin) + ".." + DurationConverter.format(gapMax));
        parameters.put("downSeconds", DurationConverter.format(downMin) + ".." + DurationConverter.format(downMax));
        parameters.put("restartAllowance", DurationConverter.format(restartAllowance));
        parameters.put("users", runs.users.users);
        parameters.put("thinkMillis", plan.load().think().toMillis());
        parameters.put("loadSeconds", plan.load().duration().toMillis() / 1000.0);
        parameters.put("visit", "log in once, then add 3 items, view the cart, check out; repeat");
        TimelineReport.write(report.out, "session-cluster: soak with random node kills", parameters, scenarios);
        console.println();
        for (TimelineReport.Scenario s : scenarios) {
            console.println(s.name() + ": " + s.figures());
        }
        console.println("goals (0 sessions lost, 0 stale answers, 0 failed GETs, no live heap growth): "
                + (goalsMet ? "met" : "MISSED"));
        console.println("report: " + report.out.resolve("index.html").toAbsolutePath());
        return goalsMet ? ExitCodes.OK : ExitCodes.NOT_MET;
    }
}
