package org.sessioncluster.ctl.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.LaunchException;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.network.LinkShape;
import org.sessioncluster.ctl.network.NetworkLab;
import org.sessioncluster.ctl.scenario.FreshCluster;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;
import org.sessioncluster.load.meter.CpuMeter;
import org.sessioncluster.load.meter.CpuUsage;
import org.sessioncluster.load.report.RoundResult;
import org.sessioncluster.load.report.RunResult;

/**
 * Runs the matrix in groups of a few scenarios whose clusters run side by side (with local+sticky, the
 * baseline, in every group): each group starts on the smallest node count, and for each node count (adding
 * nodes to the running clusters) warms every cluster once, then runs the rounds, one metered run per cluster
 * in turn, so every scenario meets the machine's noise alike. Each metered run records what the load saw, the
 * bytes on the cluster channel and to Redis, Redis commands, and the CPU time of every process of the cluster
 * (nodes, balancer, Redis, the load generator), from /proc.
 */
public final class ComparisonRunner {
    /** The scenario every group carries, so ratios to it compare runs seconds apart. */
    public static final String BASELINE = "local+sticky";

    /**
     * @param scenarios  what to run
     * @param nodeCounts the node counts of each scenario
     * @param rounds     metered runs of each scenario on each node count, alternating within a group
     * @param groupSize  clusters running side by side (baseline included)
     * @param plan       the load of every metered run
     * @param warmup     the load each cluster gets before the rounds of a node count
     * @param firstWarmups how many times each cluster gets {@code warmup} at the first node count (fresh JVMs)
     * @param baseConfig the project's cluster.properties
     * @param overrides  the --set keys on top of it, for every cluster (a scenario's own keys win over them)
     * @param war        the WAR
     * @param jvmOptions node JVM options for every run
     * @param network    null: every cluster on loopback; else each cluster in a network lab of its own, every
     *                   link shaped so
     */
    public record Matrix(
            List<Scenario> scenarios,
            List<Integer> nodeCounts,
            int rounds,
            int groupSize,
            LoadPlan plan,
            LoadPlan warmup,
            int firstWarmups,
            Path baseConfig,
            Map<String, String> overrides,
            Path war,
            String jvmOptions,
            LinkShape network) {}

    private final Matrix matrix;
    private final Consumer<String> progress;
    private final long started = System.nanoTime();

    public ComparisonRunner(Matrix matrix, Consumer<String> progress) {
        this.matrix = matrix;
        this.progress = progress;
    }

    /** The groups of scenarios run side by side: the baseline (when chosen) with up to groupSize − 1 others. */
    static List<List<Scenario>> groups(List<Scenario> scenarios, int groupSize) {
        Scenario baseline = scenarios.stream()
                .filter(s -> s.name().equals(BASELINE))
                .findFirst()
                .orElse(null);
        List<Scenario> others = scenarios.stream().filter(s -> s != baseline).toList();
        int per = Math.max(1, baseline == null ? groupSize : groupSize - 1);
        List<List<Scenario>> groups = new ArrayList<>();
        for (int i = 0; i < others.size(); i += per) {
            List<Scenario> g = new ArrayList<>();
            if (baseline != null) {
                g.add(baseline);
            }
            g.addAll(others.subList(i, Math.min(others.size(), i + per)));
            groups.add(g);
        }
        if (groups.isEmpty() && baseline != null) {
            groups.add(List.of(baseline));
        }
        return groups;
    }

    public List<RunResult> run() throws IOException, InterruptedException {
        Map<String, List<RoundResult>> rounds = new LinkedHashMap<>();
        List<List<Scenario>> groups = groups(matrix.scenarios(), matrix.groupSize());
        for (int g = 0; g < groups.size(); g++) {
            runGroup(g + 1, groups.size(), groups.get(g), rounds);
        }
        List<RunResult> results = new ArrayList<>();
        for (Scenario s : matrix.scenarios()) {
            for (int n : matrix.nodeCounts().stream().sorted().toList()) {
                List<RoundResult> list = rounds.get(key(s, n));
                if (list != null && !list.isEmpty()) {
                    results.add(RunResult.of(s.name(), n, list));
                }
            }
        }
        return results;
    }

    private static String key(Scenario s, int nodes) {
        return s.name() + "@" + nodes;
    }

    /** A running cluster of the group and where its logs are. */
    private record Live(
            Scenario scenario, RunningCluster cluster, ClusterLauncher launcher, Path runDir, NetworkLab lab) {
        /** Stops the cluster, then removes its network lab (if any). */
        void close() {
            try {
                cluster.close();
            } finally {
                if (lab != null) {
                    lab.close();
                }
            }
        }
    }

    private void runGroup(int index, int groups, List<Scenario> group, Map<String, List<RoundResult>> rounds)
            throws IOException, InterruptedException {
        List<Integer> counts = matrix.nodeCounts().stream().sorted().toList();
        int roundCount = matrix.rounds();
        say(
                "group %d/%d: %s side by side, nodes %s, %d round%s",
                index, groups, names(group), counts, roundCount, roundCount == 1 ? "" : "s");
        List<Live> live = new ArrayList<>();
        boolean finished = false;
        try {
            // started a few at a time, as they are grown: part of a start is waiting, not computing
            // (each added as soon as it is up, so that the finally below stops it even when another fails)
            List<Callable<Live>> starts = new ArrayList<>();
            group.forEach(s -> starts.add(() -> {
                Live l = start(s, counts.get(0));
                synchronized (live) {
                    live.add(l);
                }
                return l;
            }));
            inParallel(starts);
            live.sort(java.util.Comparator.comparingInt(l -> group.indexOf(l.scenario())));
            for (int n : counts) {
                growAll(live, n);
                // the first node count warms fresh JVMs (their JIT); at later ones only the nodes just added are
                // fresh, and grow() has warmed them with load of their own
                for (int w = n == counts.get(0) ? matrix.firstWarmups() : 0; w > 0; w--) {
                    for (Live l : live) {
                        new LoadGenerator()
                                .run(
                                        matrix.warmup(),
                                        new BalancerSelector(l.cluster().balancerUrl()),
                                        p -> {});
                    }
                }
                for (int round = 1; round <= matrix.rounds(); round++) {
                    for (Live l : live) {
                        RoundResult r = measure(l, round);
                        rounds.computeIfAbsent(key(l.scenario(), n), k -> new ArrayList<>())
                                .add(r);
                        report(l.scenario(), n, r);
                    }
                }
            }
            finished = true;
        } finally {
            for (Live l : live) {
                l.close();
                if (finished) {
                    FreshCluster.deleteQuietly(l.runDir());
                } else {
                    say("        %s: logs kept in %s", l.scenario().name(), l.runDir());
                }
            }
        }
    }

    /** The config of one scenario's cluster: the base config, the --set keys, then the scenario's own keys. */
    static ClusterConfig clusterConfig(Matrix matrix, Scenario scenario, int nodes) {
        return FreshCluster.config(
                matrix.baseConfig(), matrix.overrides(), scenario.config(), nodes, matrix.jvmOptions());
    }

    private Live start(Scenario scenario, int nodes) throws IOException {
        ClusterConfig config = clusterConfig(matrix, scenario, nodes);
        for (int attempt = 1; ; attempt++) {
            Path runDir = Files.createTempDirectory("compare-" + scenario.name().replace('+', '-') + "-");
            NetworkLab lab = matrix.network() == null ? null : NetworkLab.create(matrix.network());
            ClusterLauncher launcher = new ClusterLauncher(
                    new ClusterLauncher.Options(matrix.war(), runDir, RedisServer.Binary.AUTO, true, line -> {}, lab));
            try {
                return new Live(scenario, launcher.start(config), launcher, runDir, lab);
            } catch (LaunchException e) {
                if (lab != null) {
                    lab.close();
                }
                if (attempt == 2) {
                    throw e;
                }
                // one failed start should not cost the whole matrix: say why, and try once more
                say("        %s did not start (%s); trying once more", scenario.name(), firstLine(e.getMessage()));
            }
        }
    }

    /**
     * Grows the clusters of the group a few at a time: a node's start is partly waiting (for its peers, the
     * balancer's health checks and registry), which clusters can do side by side.
     */
    private void growAll(List<Live> live, int nodes) throws InterruptedException {
        List<Callable<Live>> grows = new ArrayList<>();
        live.forEach(l -> grows.add(() -> {
            grow(l, nodes);
            return l;
        }));
        inParallel(grows);
    }

    /**
     * Clusters started or grown at the same time. More overlap more of their waiting, but on two cores a dozen
     * JVMs starting at once already take half a minute each, and twenty pushed one past its start timeout.
     */
    static final int PARALLEL_CLUSTERS = 3;

    /** Runs the tasks, {@link #PARALLEL_CLUSTERS} at a time, and returns their results; the first failure is thrown. */
    private static <T> List<T> inParallel(List<Callable<T>> tasks) throws InterruptedException {
        return inParallel(tasks, PARALLEL_CLUSTERS);
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())));
        try {
            List<Future<T>> futures = new ArrayList<>();
            tasks.forEach(t -> futures.add(pool.submit(t)));
            List<T> out = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r
                                ? r
                                : new IllegalStateException(e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Adds nodes until the cluster has {@code nodes} (in delta and backup modes each receives the sessions first),
     * then warms each new node with load sent to it directly: otherwise the first rounds at a larger node count
     * would measure fresh JVMs beside warm ones, and cost per request would seem to grow with N for that alone.
     */
    private void grow(Live l, int nodes) throws InterruptedException {
        int before = l.cluster().nodes().size();
        if (before < nodes) {
            long t0 = System.nanoTime();
            l.launcher().growTo(l.cluster(), nodes);
            LoadPlan w = matrix.warmup();
            LoadPlan direct = new LoadPlan(
                    w.users(), w.itemsPerVisit(), w.payloadBytes(), w.think(), Duration.ofSeconds(1), 0, w.logout());
            // the new nodes warmed at the same time, each with load of its own
            List<Callable<LoadSummary>> warms = new ArrayList<>();
            for (ClusterNode added :
                    l.cluster().nodes().subList(before, l.cluster().nodes().size())) {
                warms.add(() -> new LoadGenerator().run(direct, new BalancerSelector(added.url()), p -> {}));
            }
            inParallel(warms, warms.size());
            say(
                    "        %s: %d → %d nodes, the new ones warmed, in %.1f s",
                    l.scenario().name(), before, nodes, (System.nanoTime() - t0) / 1e9);
        }
    }

    private RoundResult measure(Live l, int round) throws IOException, InterruptedException {
        RunningCluster cluster = l.cluster();
        Map<String, String> nodeUrls = new LinkedHashMap<>();
        for (ClusterNode n : cluster.nodes()) {
            nodeUrls.put(n.name(), n.url());
        }
        var access = RedisServer.access(cluster.config());
        CpuMeter cpu = new CpuMeter(cluster.processesByRole());
        try (ClusterMeter meter = new ClusterMeter(nodeUrls, redisServers(cluster.config(), access), access)) {
            meter.start();
            cpu.start();
            LoadSummary load =
                    new LoadGenerator().run(matrix.plan(), new BalancerSelector(cluster.balancerUrl()), p -> {});
            CpuUsage used = cpu.stop();
            return new RoundResult(round, load, meter.stop(), used);
        }
    }

    private void report(Scenario s, int nodes, RoundResult r) {
        LoadSummary l = r.load();
        say(
                "        %-17s %d nodes, round %d: %5.0f req/s, p50 %.2f ms, cluster CPU %4.0f µs/req"
                        + " (nodes %.0f, balancer %.0f, Redis %.0f, load %.0f), misses %d, stale %d, errors %d",
                s.name(),
                nodes,
                r.round(),
                l.throughput(),
                l.p50Ms(),
                r.cpuMicrosPerRequest(),
                r.cpuMicrosPerRequest("nodes"),
                r.cpuMicrosPerRequest("balancer"),
                r.cpuMicrosPerRequest("redis"),
                r.cpuMicrosPerRequest("load"),
                l.misses(),
                l.stale(),
                l.errors());
        l.errorSamples().forEach(e -> say("        error: %s", e));
    }

    private void say(String format, Object... args) {
        progress.accept(String.format(java.util.Locale.ROOT, "[%4.0f s] ", (System.nanoTime() - started) / 1e9)
                + String.format(java.util.Locale.ROOT, format, args));
    }

    private static List<String> names(List<Scenario> group) {
        return group.stream().map(Scenario::name).toList();
    }

    /** The Redis whose figures count: the one server, or every primary of a Redis Cluster (summed). */
    private static List<String> redisServers(
            ClusterConfig config, org.sessioncluster.load.meter.RespConnection.Access access) {
        if (!config.sessionMode().usesRedis()) {
            return List.of();
        }
        if (!config.redis().isCluster()) {
            return List.of(config.redis().address());
        }
        var view = org.sessioncluster.ctl.cluster.RedisClusterView.of(
                        config.redis().clusterNodes(), access)
                .orElseThrow(() -> new IllegalStateException(
                        "no node of the Redis Cluster " + config.redis().clusterNodes() + " answers"));
        String scheme = config.redis().clusterNodes().get(0).startsWith("rediss://") ? "rediss://" : "redis://";
        return view.shards().stream().map(s -> scheme + s.primary()).toList();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
