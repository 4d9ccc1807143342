package org.sessioncluster.ctl.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;
import org.sessioncluster.load.report.RunResult;

/**
 * Runs the matrix: for each scenario and node count, a fresh cluster on free ports, a short warm-up, the
 * same bounded load through the balancer while the cluster is metered, then the cluster is torn down.
 */
public final class ComparisonRunner {
    /**
     * @param scenarios what to run
     * @param nodeCounts the node counts of each scenario
     * @param plan       the load of every run
     * @param warmup     the load before metering starts (JIT, connection pools, first sessions)
     * @param baseConfig the project's cluster.properties
     * @param war        the WAR
     * @param jvmOptions node JVM options for every run
     */
    public record Matrix(
            List<Scenario> scenarios,
            List<Integer> nodeCounts,
            LoadPlan plan,
            LoadPlan warmup,
            Path baseConfig,
            Path war,
            String jvmOptions) {}

    private final Matrix matrix;
    private final Consumer<String> progress;

    public ComparisonRunner(Matrix matrix, Consumer<String> progress) {
        this.matrix = matrix;
        this.progress = progress;
    }

    public List<RunResult> run() throws IOException, InterruptedException {
        List<RunResult> results = new ArrayList<>();
        int total = matrix.scenarios().size() * matrix.nodeCounts().size();
        int done = 0;
        long started = System.nanoTime();
        for (Scenario scenario : matrix.scenarios()) {
            for (int nodes : matrix.nodeCounts()) {
                done++;
                progress.accept(String.format(
                        "[%d/%d] %s on %d nodes (%.0f s so far)",
                        done, total, scenario.name(), nodes, (System.nanoTime() - started) / 1e9));
                RunResult r;
                try {
                    r = runOne(scenario, nodes);
                } catch (LaunchException e) {
                    // one failed start should not cost the whole matrix: say why, and try once more
                    progress.accept(
                            "        the cluster did not start (" + firstLine(e.getMessage()) + "); trying once more");
                    r = runOne(scenario, nodes);
                }
                results.add(r);
                progress.accept(String.format(
                        "        %.0f req/s, p50 %.2f ms, p99 %.2f ms, %.0f bytes sent per write, misses %d,"
                                + " stale %d, errors %d",
                        r.load().throughput(),
                        r.load().p50Ms(),
                        r.load().p99Ms(),
                        r.bytesSentPerWrite(),
                        r.load().misses(),
                        r.load().stale(),
                        r.load().errors()));
                r.load().errorSamples().forEach(e -> progress.accept("        error: " + e));
            }
        }
        results.sort(Comparator.comparing((RunResult r) -> matrix.scenarios()
                        .indexOf(Scenario.named(List.of(r.scenario())).get(0)))
                .thenComparingInt(RunResult::nodes));
        return results;
    }

    private RunResult runOne(Scenario scenario, int nodes) throws IOException, InterruptedException {
        ClusterConfig config = org.sessioncluster.ctl.scenario.FreshCluster.config(
                matrix.baseConfig(), scenario.config(), nodes, matrix.jvmOptions());
        Path runDir = Files.createTempDirectory("compare-" + scenario.name().replace('+', '-') + "-" + nodes + "-");
        boolean finished = false;
        try (RunningCluster cluster = new ClusterLauncher(
                        new ClusterLauncher.Options(matrix.war(), runDir, RedisServer.Binary.AUTO, true, line -> {}))
                .start(config)) {
            BalancerSelector selector = new BalancerSelector(cluster.balancerUrl());
            LoadGenerator generator = new LoadGenerator();
            generator.run(matrix.warmup(), selector, p -> {});
            Map<String, String> nodeUrls = new LinkedHashMap<>();
            for (ClusterNode n : cluster.nodes()) {
                nodeUrls.put(n.name(), n.url());
            }
            var access = RedisServer.access(cluster.config());
            try (ClusterMeter meter = new ClusterMeter(nodeUrls, redisServers(cluster.config(), access), access)) {
                meter.start();
                LoadSummary load = generator.run(matrix.plan(), selector, p -> {});
                RunResult result = new RunResult(scenario.name(), nodes, load, meter.stop());
                finished = true;
                return result;
            }
        } finally {
            if (finished) {
                org.sessioncluster.ctl.scenario.FreshCluster.deleteQuietly(
                        runDir); // a failed run keeps its logs for the error message to point at
            }
        }
    }

    /** The Redis whose figures count: the one server, or every primary of a Redis Cluster (summed). */
    private static List<String> redisServers(
            ClusterConfig config, org.sessioncluster.load.meter.RespConnection.Access access) {
        if (!config.sessionMode().usesRedis()) {
            return List.of();
        }
        if (!config.redisIsCluster()) {
            return List.of(config.redisAddress());
        }
        var view = org.sessioncluster.ctl.cluster.RedisClusterView.of(config.redisClusterNodes(), access)
                .orElseThrow(() -> new IllegalStateException(
                        "no node of the Redis Cluster " + config.redisClusterNodes() + " answers"));
        String scheme = config.redisClusterNodes().get(0).startsWith("rediss://") ? "rediss://" : "redis://";
        return view.shards().stream().map(s -> scheme + s.primary()).toList();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
