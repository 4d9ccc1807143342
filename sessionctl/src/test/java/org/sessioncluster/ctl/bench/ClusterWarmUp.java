package org.sessioncluster.ctl.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * Warms the clusters of a benchmark in turns (one short run each, round after round, so each sees the same
 * machine), until each is at its plateau: its node CPU per request has stopped falling (the median of its last
 * three runs is no more than {@link #TOLERANCE} below the median of the three before) and its JIT compilers
 * have gone quiet (compile time of the last three runs under {@link #JIT_SHARE} of the nodes' CPU time, read
 * with the JDK's {@code jstat}). Both were seen moving for minutes: a redis-mode cluster of 3 nodes kept getting
 * cheaper for about 3 minutes of load while its nodes compiled Jedis' and Tomcat's paths.
 */
public final class ClusterWarmUp {
    public static final double TOLERANCE = 0.03;
    public static final double JIT_SHARE = 0.02;

    /** One warm-up run of one cluster. */
    public record Run(double nodeCpuUsPerRequest, double jitShare) {}

    /** Runs the load on one cluster for the given seconds; returns the requests served. */
    public interface Load {
        long run(String cluster, int seconds) throws Exception;
    }

    private final int seconds;
    private final int minRuns;
    private final int maxRuns;

    public ClusterWarmUp(int seconds, int minRuns, int maxRuns) {
        this.seconds = seconds;
        this.minRuns = minRuns;
        this.maxRuns = maxRuns;
    }

    /** The runs each cluster (by name) took: its last run is where it was judged warm, or the cap. */
    public Map<String, List<Run>> warm(Map<String, RunningCluster> clusters, Load load) throws Exception {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        clusters.keySet().forEach(s -> runs.put(s, new ArrayList<>()));
        List<String> cold = new ArrayList<>(clusters.keySet());
        for (int n = 1; n <= maxRuns && !cold.isEmpty(); n++) {
            for (String s : List.copyOf(cold)) {
                RunningCluster c = clusters.get(s);
                long cpu0 = nodeCpuTicks(c);
                double jit0 = jitSeconds(c);
                long requests = load.run(s, seconds);
                double cpuSeconds = (nodeCpuTicks(c) - cpu0) / (double) SessionServerBenchmark.CLOCK_TICKS;
                double jit = jitSeconds(c) - jit0;
                runs.get(s).add(new Run(cpuSeconds * 1e6 / Math.max(1, requests), jit / Math.max(0.01, cpuSeconds)));
                if (warm(runs.get(s))) {
                    cold.remove(s);
                    System.out.printf(
                            "%-22s warm after %d runs of %d s (node CPU %.0f us/req)%n",
                            s, n, seconds, runs.get(s).get(n - 1).nodeCpuUsPerRequest());
                }
            }
        }
        for (String s : cold) {
            System.out.printf("warm-up: %s still changing after %d runs%n", s, maxRuns);
        }
        return runs;
    }

    private boolean warm(List<Run> runs) {
        int n = runs.size();
        if (n < Math.max(minRuns, 6)) {
            return false;
        }
        double last = median(runs.subList(n - 3, n));
        double before = median(runs.subList(n - 6, n - 3));
        double jit = runs.subList(n - 3, n).stream()
                .mapToDouble(Run::jitShare)
                .average()
                .orElse(0);
        return last >= before * (1 - TOLERANCE) && (Double.isNaN(jit) || jit < JIT_SHARE);
    }

    private static double median(List<Run> runs) {
        double[] v =
                runs.stream().mapToDouble(Run::nodeCpuUsPerRequest).sorted().toArray();
        return v[v.length / 2];
    }

    public static long nodeCpuTicks(RunningCluster cluster) throws IOException {
        long sum = 0;
        for (ClusterNode node : cluster.nodes()) {
            sum += SessionServerBenchmark.cpuTicks(node.process().pid());
        }
        return sum;
    }

    /** Seconds the nodes' JIT compilers have spent so far (jstat -compiler), or NaN without jstat. */
    public static double jitSeconds(RunningCluster cluster) {
        double sum = 0;
        for (ClusterNode node : cluster.nodes()) {
            try {
                Process p = new ProcessBuilder(
                                "jstat",
                                "-compiler",
                                Long.toString(node.process().pid()))
                        .redirectErrorStream(true)
                        .start();
                String[] lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .trim()
                        .split("\n");
                p.waitFor();
                // Compiled Failed Invalid Time FailedType FailedMethod
                String[] f = lines[lines.length - 1].trim().split("\\s+");
                sum += Double.parseDouble(f[3]);
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }
        return sum;
    }

    /** The node CPU per request of each run, for the results file. */
    public static double[] trajectory(List<Run> runs) {
        return runs.stream().mapToDouble(Run::nodeCpuUsPerRequest).toArray();
    }
}
