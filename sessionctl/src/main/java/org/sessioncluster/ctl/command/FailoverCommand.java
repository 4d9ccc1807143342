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
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.scenario.FailoverRun;
import org.sessioncluster.ctl.scenario.FreshCluster;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.report.TimelineReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionctl failover}: per session mode, a fresh cluster under load, one node SIGKILLed and restarted; a report. */
@Command(
        name = "failover",
        mixinStandardHelpOptions = true,
        description = "For each mode: start a fresh cluster, run a bounded load through the balancer, SIGKILL a node at"
                + " --kill-at, restart it after --restart-after, and count failed requests, failed GETs and lost sessions."
                + " Writes results.json and index.html (timeline charts) to --out.")
@OptionDefaults.Of({
    "--modes=local,delta,backup,redis",
    "--nodes=3",
    "--policy=sticky",
    "--duration=20s",
    "--users=12",
    "--think=20ms",
    "--out=report/failover"
})
public class FailoverCommand extends ReportingCommand {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ModeRunOptions runs;

    @Option(
            names = "--victim",
            defaultValue = "node-1",
            description =
                    "the node to kill, or redis-primary: the Redis primary"
                            + " behind a Sentinel (redis mode; starts a primary, a replica and a Sentinel, redis.sync.replicas=1), or with --set redis.embedded.cluster=true the first primary of a Redis Cluster (default: ${DEFAULT-VALUE})")
    String victim;

    @Option(
            names = "--kill-at",
            defaultValue = "6s",
            description = "when to kill it, from the start of the load (default: ${DEFAULT-VALUE})")
    Duration killAt;

    @Option(
            names = "--restart-after",
            defaultValue = "6s",
            description = "restart it this long after the kill; 0 leaves it down (default: ${DEFAULT-VALUE})")
    Duration restartAfter;

    @Override
    int run(PrintWriter console) throws Exception {
        List<SessionMode> chosen = runs.chosen("a failover");
        LoadPlan plan;
        FailoverRun.Plan failover;
        try {
            plan = runs.load();
            failover = new FailoverRun.Plan(victim, killAt, restartAfter.isZero() ? null : restartAfter, plan);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        List<TimelineReport.Scenario> scenarios = new ArrayList<>();
        for (SessionMode mode : chosen) {
            boolean redisPrimary = FailoverRun.REDIS_PRIMARY.equals(victim);
            if (redisPrimary && !mode.usesRedis()) {
                throw new BadInputException(
                        "--victim redis-primary needs --modes redis or redisson (the other modes have no Redis)");
            }
            Map<String, String> keys = new LinkedHashMap<>();
            boolean sharded = "true".equals(configOptions.overrides().get(ConfigKeys.REDIS_EMBEDDED_CLUSTER));
            if (redisPrimary) {
                if (!sharded) {
                    keys.put(ConfigKeys.REDIS_EMBEDDED_SENTINEL, "true");
                }
                keys.put(ConfigKeys.REDIS_SYNC_REPLICAS, "1");
            }
            keys.putAll(configOptions.overrides());
            ClusterConfig config = runs.config(configOptions.file(), keys, mode);
            if (!redisPrimary && config.nodes().stream().noneMatch(n -> n.name().equals(victim))) {
                throw new BadInputException("--victim " + victim + " is not a node of these clusters; allowed: "
                        + config.nodes().stream().map(NodeAddress::name).toList() + " or "
                        + FailoverRun.REDIS_PRIMARY);
            }
            console.printf(
                    "== %s, %s, %d nodes: kill %s at %s%s%n",
                    mode.configName(),
                    runs.policy,
                    runs.nodes,
                    victim,
                    DurationConverter.format(killAt),
                    failover.restartAfter() == null
                            ? ""
                            : ", restart " + DurationConverter.format(restartAfter) + " later");
            console.flush();
            Path runDir = Files.createTempDirectory("failover-" + mode.configName() + "-");
            ClusterLauncher launcher = new ClusterLauncher(runs.launch(runDir));
            try (RunningCluster cluster = launcher.start(config)) {
                java.util.function.Consumer<String> print = line -> {
                    console.println("  " + line);
                    console.flush();
                };
                TimelineReport.Scenario s = redisPrimary
                        ? FailoverRun.runRedisPrimary(
                                mode.configName() + (sharded ? "+cluster+" : "+sentinel+") + runs.policy,
                                cluster,
                                failover,
                                print)
                        : FailoverRun.run(mode.configName() + "+" + runs.policy, cluster, launcher, failover, print);
                scenarios.add(s);
                console.println("  " + s.figures());
                console.flush();
            }
            FreshCluster.deleteQuietly(runDir); // reached only when the run succeeded: a failed one keeps its logs
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("nodes", runs.nodes);
        parameters.put("policy", runs.policy);
        parameters.put("victim", victim);
        parameters.put("killAtSeconds", killAt.toMillis() / 1000.0);
        parameters.put("restartAfterSeconds", restartAfter.isZero() ? "never" : restartAfter.toMillis() / 1000.0);
        parameters.put("users", runs.users.users);
        parameters.put("thinkMillis", plan.think().toMillis());
        parameters.put("loadSeconds", plan.duration().toMillis() / 1000.0);
        parameters.put("visit", "log in once, then add 3 items, view the cart, check out; repeat");
        TimelineReport.write(report.out, "session-cluster: a node killed under load", parameters, scenarios);
        console.println();
        for (TimelineReport.Scenario s : scenarios) {
            console.println(s.name() + ": " + s.figures());
        }
        console.println("report: " + report.out.resolve("index.html").toAbsolutePath());
        return 0;
    }
}
