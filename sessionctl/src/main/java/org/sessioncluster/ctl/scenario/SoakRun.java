package org.sessioncluster.ctl.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.Timeline;
import org.sessioncluster.load.report.TimelineReport;

/**
 * A soak: a long, bounded load through the balancer while nodes are killed (SIGKILL) and restarted at
 * random moments drawn from a seed — the same seed gives the same victims, gaps and down times. One fault at
 * a time: a node is back, ready and routed before the next is killed, so every session always has a live
 * copy. Counts what the failover run counts, plus each node's peak heap, its live heap (after a full
 * collection) and the live heap's trend ({@link HeapWatch}).
 */
public final class SoakRun {
    /**
     * @param seed          draws the faults
     * @param gapMin        shortest pause before a fault (from the end of the previous one)
     * @param gapMax        longest pause
     * @param downMin       shortest time a killed node stays down
     * @param downMax       longest
     * @param maxGrowthMbPerMinute a heap trend above this counts as growth
     * @param restartAllowance how long a restart may take: no fault starts that could not end (down time and
     *                      restart) before the load does
     * @param load          the load; its duration is the soak's
     */
    public record Plan(
            long seed,
            Duration gapMin,
            Duration gapMax,
            Duration downMin,
            Duration downMax,
            double maxGrowthMbPerMinute,
            Duration heapEvery,
            Duration restartAllowance,
            LoadPlan load) {
        public Plan {
            if (load.duration() == null) {
                throw new IllegalArgumentException("a soak needs a load duration");
            }
            if (heapEvery.toMillis() < 1000) {
                throw new IllegalArgumentException("the live heap can be measured at most once a second per node");
            }
            if (restartAllowance.toMillis() < 1000) {
                throw new IllegalArgumentException("the restart allowance must be at least 1 s");
            }
            if (gapMax.compareTo(gapMin) < 0 || downMax.compareTo(downMin) < 0) {
                throw new IllegalArgumentException(
                        "the longest gap and down time must not be shorter than the shortest");
            }
        }
    }

    private SoakRun() {}

    public static TimelineReport.Scenario run(
            String name, RunningCluster cluster, ClusterLauncher launcher, Plan plan, Consumer<String> progress)
            throws InterruptedException {
        BalancerAdmin admin =
                cluster.balancerAdmin().orElseThrow(() -> new ClusterStateException("a soak needs the balancer"));
        List<String> names = cluster.nodes().stream().map(ClusterNode::name).toList();
        Map<String, String> urls = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> urls.put(n.name(), n.url()));
        Duration duration = plan.load().duration();
        LoadPlan open = new LoadPlan(
                plan.load().users(),
                plan.load().itemsPerVisit(),
                plan.load().payloadBytes(),
                plan.load().think(),
                duration.plus(plan.restartAllowance()
                        .multipliedBy(4)), // stopped at the duration; a slow restart may run over
                plan.load().maxRequests(),
                plan.load().logout());
        Random random = new Random(plan.seed());
        LoadGenerator.RunningLoad load =
                new LoadGenerator().start(open, new BalancerSelector(cluster.balancerUrl()), p -> {});
        Timeline timeline = load.timeline();
        int kills = 0;
        var ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-progress");
            t.setDaemon(true);
            return t;
        });
        // a run says how it goes every 30 s, a short one four times
        long every = Math.max(5, Math.min(30, duration.toSeconds() / 4));
        var ticks = ticker.scheduleAtFixedRate(
                () -> progress.accept(tally(timeline, duration)), every, every, java.util.concurrent.TimeUnit.SECONDS);
        try (HeapWatch heap = new HeapWatch(
                urls,
                n -> cluster.node(n).process().pid(),
                timeline::elapsedSeconds,
                plan.heapEvery().toMillis() / 1000.0)) {
            while (true) {
                double gap = between(random, plan.gapMin(), plan.gapMax());
                double down = between(random, plan.downMin(), plan.downMax());
                String victim = names.get(random.nextInt(names.size()));
                double at = timeline.elapsedSeconds() + gap;
                if (at + down + plan.restartAllowance().toMillis() / 1000.0 > duration.toMillis() / 1000.0) {
                    break;
                }
                Clock.until(timeline, seconds(at));
                cluster.node(victim).process().kill();
                heap.killed(victim);
                kills++;
                timeline.mark("SIGKILL " + victim);
                progress.accept(String.format("%.1f s: killed %s (down for %.1f s)", at, victim, down));
                if (!Clock.waitFor(() -> !admin.routes(victim), Duration.ofSeconds(30))) {
                    throw new ClusterStateException(
                            "the balancer still routes to " + victim + " 30 s after it was killed");
                }
                Clock.until(timeline, seconds(at + down));
                timeline.mark("restart " + victim);
                launcher.restartNode(cluster, victim);
                heap.restarted(victim);
                double ready = timeline.mark(victim + " ready and routed");
                progress.accept(String.format("%.1f s: %s is back, ready and routed", ready, victim));
            }
            Clock.until(timeline, duration);
            load.stop();
            LoadGenerator.Result result = load.await();
            Map<String, HeapWatch.NodeHeap> heaps = heap.result();
            Map<String, Object> peak = new LinkedHashMap<>();
            Map<String, Object> lastLive = new LinkedHashMap<>();
            Map<String, Object> trend = new LinkedHashMap<>();
            boolean grows = false;
            for (Map.Entry<String, HeapWatch.NodeHeap> h : heaps.entrySet()) {
                peak.put(h.getKey(), h.getValue().peakMb());
                lastLive.put(
                        h.getKey(),
                        Double.isNaN(h.getValue().lastLiveMb())
                                ? "not measured"
                                : h.getValue().lastLiveMb());
                double t = h.getValue().trendMbPerMinute();
                trend.put(h.getKey(), Double.isNaN(t) ? "too short to judge" : ScenarioFigures.round(t));
                grows |= t > plan.maxGrowthMbPerMinute();
            }
            String liveProblem = heap.liveProblem();
            if (liveProblem != null) {
                progress.accept("live heap not measured on every node: " + liveProblem);
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("mode", cluster.config().sessionMode().configName());
            figures.put("policy", cluster.config().balancer().policy());
            figures.put("nodes", cluster.config().nodeCount());
            figures.put("seed", plan.seed());
            figures.put("kills and restarts", kills);
            ScenarioFigures.putOutcome(figures, result);
            figures.put("peak heap per node (MB)", peak);
            figures.put("live heap per node at the end (MB)", lastLive);
            figures.put("live heap trend per node after warm-up (MB/min)", trend);
            figures.put("heap grows", grows);
            return ScenarioFigures.scenario(name, figures, result, timeline, progress);
        } finally {
            ticks.cancel(false);
            ticker.shutdownNow();
            load.stop();
        }
    }

    private static String tally(Timeline timeline, Duration duration) {
        long requests = 0;
        long errors = 0;
        long misses = 0;
        for (Timeline.Second s : timeline.seconds()) {
            requests += s.requests();
            errors += s.errors();
            misses += s.misses();
        }
        return String.format(
                "%.0f of %d s: %d requests, %d failed, %d session misses",
                timeline.elapsedSeconds(), duration.toSeconds(), requests, errors, misses);
    }

    private static double between(Random random, Duration min, Duration max) {
        double lo = min.toMillis() / 1000.0;
        double hi = max.toMillis() / 1000.0;
        return lo + random.nextDouble() * (hi - lo);
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
