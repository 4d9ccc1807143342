package org.sessioncluster.ctl.command;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.scenario.Rollout;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.Timeline;
import org.sessioncluster.load.report.TimelineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionctl rollout}: a new WAR on the running cluster, rolling, blue-green or canary, measured under load. */
@Command(
        name = "rollout",
        mixinStandardHelpOptions = true,
        description =
                "Put a new WAR on the running cluster without dropping requests or sessions: rolling (in place, or"
                        + " with --max-surge), blue-green (a green set, one switch, blue kept for --hold) or canary (weights in --steps,"
                        + " each judged by the balancer's error rate and p99; a breach rolls back). With --users, a load runs"
                        + " meanwhile and results.json and index.html (timeline by version) go to --out.")
@OptionDefaults.Of({"--users=0", "--think=20ms", "--out=report/rollout"})
public class RolloutCommand extends ReportingCommand {
    @Mixin
    RunDirOption runDir;

    @Option(names = "--strategy", required = true, description = "rolling, blue-green or canary")
    String strategy;

    @Option(names = "--war", required = true, description = "the new version's WAR (sessionctl make-war makes one)")
    Path war;

    @Option(
            names = "--max-unavailable",
            defaultValue = "1",
            description = "rolling: nodes restarted at once (default: ${DEFAULT-VALUE})")
    int maxUnavailable;

    @Option(
            names = "--max-surge",
            defaultValue = "0",
            description =
                    "rolling: new nodes started beside the old before old ones go; 0 restarts in place (default: ${DEFAULT-VALUE})")
    int maxSurge;

    @Option(
            names = "--steps",
            split = ",",
            defaultValue = "10,50,100",
            description = "canary: traffic percentages (default: ${DEFAULT-VALUE})")
    List<Integer> steps;

    @Option(
            names = "--hold",
            defaultValue = "10s",
            description =
                    "canary: how long each step is watched; blue-green: how long blue is kept (default: ${DEFAULT-VALUE})")
    Duration hold;

    @Option(
            names = "--max-error-rate",
            defaultValue = "0.01",
            description = "a higher error rate on the new version rolls back (default: ${DEFAULT-VALUE})")
    double maxErrorRate;

    @Option(
            names = "--max-p99",
            defaultValue = "1000ms",
            description = "a slower p99 on the new version rolls back (default: ${DEFAULT-VALUE})")
    Duration maxP99;

    @Option(
            names = "--min-requests",
            defaultValue = "20",
            description = "canary and blue-green: a step judged on fewer requests to the new version rolls back, for"
                    + " lack of evidence; 0 = go on without traffic (default: ${DEFAULT-VALUE})")
    int minRequests;

    @Option(
            names = "--drain-timeout",
            defaultValue = "30s",
            description = "longest wait for a node's requests in flight (default: ${DEFAULT-VALUE})")
    Duration drainTimeout;

    @Mixin
    VirtualUserOptions virtualUsers;

    @Override
    int run(PrintWriter console) throws Exception {
        Rollout.Strategy s = switch (strategy.toLowerCase(Locale.ROOT)) {
            case "rolling" -> Rollout.Strategy.ROLLING;
            case "blue-green" -> Rollout.Strategy.BLUE_GREEN;
            case "canary" -> Rollout.Strategy.CANARY;
            default ->
                throw new BadInputException(
                        "--strategy '" + strategy + "' is not allowed; allowed: rolling, blue-green, canary");
        };
        if (!Files.isRegularFile(war)) {
            throw new BadInputException(
                    "WAR not found: " + war + " (make one with: sessionctl make-war --app-version 2.0)");
        }
        if (maxErrorRate < 0 || maxErrorRate > 1) {
            throw new BadInputException("--max-error-rate " + maxErrorRate + " is not allowed; allowed: 0 to 1");
        }
        if (minRequests < 0) {
            throw new BadInputException("--min-requests " + minRequests + " is not allowed; allowed: 0 or more");
        }
        Rollout.Options options = new Rollout.Options(
                s,
                war,
                maxUnavailable,
                maxSurge,
                steps,
                hold,
                maxErrorRate,
                maxP99.toMillis(),
                drainTimeout,
                minRequests);
        RunningCluster cluster = RunningCluster.attach(runDir.path());
        ClusterLauncher launcher = new ClusterLauncher(
                new ClusterLauncher.Options(war, runDir.path(), RedisServer.Binary.AUTO, true, line -> {
                    console.println("          " + line);
                    console.flush();
                }));
        LoadGenerator.RunningLoad load = null;
        Timeline timeline = new Timeline();
        if (virtualUsers.users > 0) {
            LoadPlan plan = new LoadPlan(virtualUsers.users, 3, 0, virtualUsers.think, Duration.ofHours(1), 0, false);
            load = new LoadGenerator().start(plan, new BalancerSelector(cluster.balancerUrl()), p -> {});
            timeline = load.timeline();
        }
        long started = System.nanoTime();
        Rollout.Result result;
        try {
            result = new Rollout(
                            cluster,
                            launcher,
                            options,
                            timeline,
                            line -> {
                                console.println(line);
                                console.flush();
                            },
                            operator())
                    .run();
        } finally {
            if (load != null) {
                load.stop();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        console.printf("%s in %.1f s; nodes now %s%n", result.summary(), seconds, result.nodes());
        result.steps().forEach((step, f) -> console.println("  " + step + ": " + f));
        if (load != null) {
            LoadGenerator.Result r = load.await();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("strategy", strategy);
            figures.put("mode", cluster.config().sessionMode().configName());
            figures.put("outcome", result.completed() ? "completed" : "rolled back");
            figures.put("seconds", Math.round(seconds * 10) / 10.0);
            figures.put("requests", r.summary().requests());
            figures.put("failed requests", r.summary().errors());
            figures.put("failed GETs", r.failedReads());
            figures.put("sessions lost", r.usersWithMiss());
            figures.put("stale answers", r.summary().stale());
            Map<String, Long> versions = new java.util.TreeMap<>();
            r.timeline().seconds().forEach(sec -> sec.versions().forEach((v, c) -> versions.merge(v, c, Long::sum)));
            figures.put("answers by version", versions);
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("strategy", strategy);
            parameters.put("war", war.getFileName().toString());
            parameters.put("users", virtualUsers.users);
            parameters.put("result", result.summary());
            result.steps().forEach((step, f) -> parameters.put(step, f));
            TimelineReport.write(
                    report.out,
                    "session-cluster: " + strategy + " rollout",
                    parameters,
                    List.of(new TimelineReport.Scenario(
                            strategy + " (" + cluster.config().sessionMode().configName() + ")",
                            figures,
                            r.timeline())));
            console.printf(
                    "load during the rollout: %d requests, %d failed (%d GETs), %d sessions lost, %d stale; answers by version %s%n",
                    r.summary().requests(),
                    r.summary().errors(),
                    r.failedReads(),
                    r.usersWithMiss(),
                    r.summary().stale(),
                    versions);
            r.summary().errorSamples().forEach(e -> console.println("  error: " + e));
            console.println("report: " + report.out.resolve("index.html").toAbsolutePath());
        }
        return result.completed() ? ExitCodes.OK : ExitCodes.NOT_MET;
    }

    /** Lines typed on an interactive terminal ("ok", "back"), read without blocking the rollout. */
    private static Supplier<String> operator() {
        if (System.console() == null) {
            return null;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        return () -> {
            try {
                return in.ready() ? in.readLine().trim().toLowerCase(Locale.ROOT) : null;
            } catch (java.io.IOException e) {
                return null;
            }
        };
    }
}
