package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.ExitCodes;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.NodeSelector;
import org.sessioncluster.load.RibbonSelector;
import org.sessioncluster.load.meter.ClusterMeter;
import org.sessioncluster.load.meter.CpuMeter;
import org.sessioncluster.load.meter.CpuUsage;
import org.sessioncluster.load.report.ReportWriter;
import org.sessioncluster.load.report.RoundResult;
import org.sessioncluster.load.report.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionctl load}: run virtual users against the running cluster, meter it, write the results. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description =
                "Run virtual users (log in, fill a cart, view it, log out) against the running cluster; count session"
                        + " misses and stale reads; meter the cluster; write results.json, results.csv and index.html.")
@OptionDefaults.Of({"--users=16", "--think=0ms", "--out=report/load"})
public class LoadCommand extends ReportingCommand {
    /** How long a load waits for the balancer's warm-up (20,000 requests take 4–5 s on two cores). */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(60);

    /** How the load picks a node. */
    public enum Client {
        balancer,
        ribbon
    }

    @Mixin
    RunDirOption runDir;

    @Option(
            names = "--duration",
            defaultValue = "20s",
            description = "how long, e.g. 30s or 2m (default: ${DEFAULT-VALUE}; 0 = until --requests)")
    Duration duration;

    @Option(names = "--requests", defaultValue = "0", description = "stop after this many requests (default: no limit)")
    long requests;

    @Option(names = "--items", defaultValue = "3", description = "cart items per visit (default: ${DEFAULT-VALUE})")
    int items;

    @Option(
            names = "--payload",
            defaultValue = "0",
            description = "bytes stored in the session once per visit (default: ${DEFAULT-VALUE})")
    int payload;

    @Option(
            names = "--no-logout",
            description = "keep one session per user for the whole run; each visit ends with a checkout")
    boolean noLogout;

    @Option(
            names = "--client",
            defaultValue = "balancer",
            description =
                    "${COMPLETION-CANDIDATES}: through the balancer, or client-side balancing over the registry (default: ${DEFAULT-VALUE})")
    Client client;

    @Mixin
    VirtualUserOptions virtualUsers;

    /**
     * A load right after {@code up} would otherwise meter the balancer's warm-up (begun once the nodes registered)
     * beside its own requests: its CPU and the interpreter's latencies are not what the mode costs.
     */
    private static void awaitWarmUp(RunningCluster cluster, PrintWriter console) {
        BalancerAdmin admin = cluster.balancerAdmin().orElseThrow();
        if (admin.status().map(BalancerStatus::warmedUp).orElse(true)) {
            return;
        }
        console.println("waiting for the balancer to warm its data path (balancer.warmup.requests)");
        console.flush();
        if (!admin.awaitWarmUp(WARM_UP_LIMIT)) {
            console.println("the balancer's warm-up has not ended after " + WARM_UP_LIMIT.toSeconds()
                    + " s; measuring anyway (the first seconds may be slower)");
        }
    }

    @Override
    int run(PrintWriter console) throws Exception {
        RunningCluster cluster = RunningCluster.attach(runDir.path());
        LoadPlan plan;
        try {
            plan = new LoadPlan(virtualUsers.users, items, payload, virtualUsers.think, duration, requests, !noLogout);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad load option: " + e.getMessage());
        }
        requirePayloadWithin(payload, cluster.config());
        if (cluster.balancer().isEmpty()) {
            throw new ClusterStateException(
                    "the load needs the balancer (for --client balancer, or its registry for --client ribbon);"
                            + " start the cluster without --no-balancer");
        }
        awaitWarmUp(cluster, console);
        NodeSelector selector = client == Client.balancer
                ? new BalancerSelector(cluster.balancerUrl())
                : new RibbonSelector(cluster.config().registry().url(), Duration.ofSeconds(1), Duration.ofSeconds(2));
        Map<String, String> nodes = new LinkedHashMap<>();
        for (ClusterNode n : cluster.nodes()) {
            if (n.process().isAlive()) {
                nodes.put(n.name(), n.url());
            }
        }
        String redis = cluster.config().sessionMode().usesRedis()
                ? cluster.config().redis().address()
                : null;
        console.printf(
                "load: %d users, %s, via %s, against %d nodes (%s)%n",
                virtualUsers.users,
                requests > 0 ? requests + " requests" : DurationConverter.format(duration),
                client,
                nodes.size(),
                cluster.config().sessionMode().configName());
        LoadSummary summary;
        ClusterMeter.Delta metered;
        CpuUsage cpuUsed;
        // CPU of the processes this machine runs for the cluster (from the run state); none on another machine
        CpuMeter cpu = new CpuMeter(cluster.processesByRole());
        try (ClusterMeter meter =
                new ClusterMeter(nodes, redis, org.sessioncluster.ctl.cluster.RedisServer.access(cluster.config()))) {
            meter.start();
            cpu.start();
            boolean terminal =
                    System.console() != null; // a bar that redraws itself on a terminal, one line per second elsewhere
            summary = new LoadGenerator().run(plan, selector, p -> {
                console.print(terminal ? "\r" + p.line() : p.line() + System.lineSeparator());
                console.flush();
            });
            cpuUsed = cpu.stop();
            metered = meter.stop();
        }
        console.println();
        RunResult result = RunResult.of(
                cluster.config().sessionMode().configName() + "+"
                        + cluster.config().balancer().policy(),
                cluster.nodes().size(),
                List.of(new RoundResult(1, summary, metered, cpuUsed)));
        console.printf(
                "requests %d (writes %d): ok %d, session misses %d, stale %d, errors %d, client retries %d%n",
                summary.requests(),
                summary.writes(),
                summary.ok(),
                summary.misses(),
                summary.stale(),
                summary.errors(),
                summary.retries());
        console.printf(
                "throughput %.0f req/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                summary.throughput(), summary.p50Ms(), summary.p90Ms(), summary.p99Ms(), summary.maxMs());
        console.printf("per node: %s%n", summary.perNode());
        summary.errorSamples().forEach(e -> console.println("error: " + e));
        summary.continuitySamples().forEach(e -> console.println("session: " + e));
        console.printf(
                "sharing cost: %.0f bytes sent (to peers, Redis or the disk store) and %.0f received per session write;"
                        + " %.0f session bytes held per node (peak)%n",
                result.bytesSentPerWrite(), result.bytesReceivedPerWrite(), result.sessionBytesPerNode());
        Map<String, Double> roles = result.cpuMicrosPerRequestByRole();
        console.printf(
                "cost per request: cluster CPU %.0f µs (nodes %.0f, balancer %.0f, Redis %.0f, load %.0f; from /proc),"
                        + " %.0f bytes on the cluster channel, %.0f bytes to and from Redis, %.2f Redis commands%n",
                result.cpuMicrosPerRequest(),
                roles.get("nodes"),
                roles.get("balancer"),
                roles.get("redis"),
                roles.get("load"),
                result.channelBytesPerRequest(),
                result.redisBytesPerRequest(),
                result.redisCommandsPerRequest());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("users", virtualUsers.users);
        parameters.put("duration", DurationConverter.format(duration));
        parameters.put("requests", requests);
        parameters.put("items", items);
        parameters.put("payload", payload);
        parameters.put("client", client.name());
        ReportWriter.write(report.out, "session-cluster load run", parameters, List.of(result));
        console.println("results: " + report.out.resolve("results.json") + ", " + report.out.resolve("results.csv")
                + ", " + report.out.resolve("index.html"));
        return summary.errors() > 0 ? ExitCodes.NOT_MET : ExitCodes.OK;
    }

    /** A payload the nodes would refuse on every write (413, over their limit) is bad input, said before any load. */
    static void requirePayloadWithin(int payload, ClusterConfig config) {
        int limit = config.session().payloadMaxBytes();
        if (payload > limit) {
            throw new BadInputException("--payload " + payload + " is over the nodes' limit of " + limit + " bytes ("
                    + ConfigKeys.SESSION_PAYLOAD_MAX_BYTES + "): they would refuse every write; lower --payload or"
                    + " raise the limit");
        }
    }
}
