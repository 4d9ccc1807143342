package org.sessioncluster.ctl.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.NodeStatusClient;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.network.DelayingProxy;
import org.sessioncluster.ctl.network.NetworkLab;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.Timeline;
import org.sessioncluster.load.meter.CpuMeter;
import org.sessioncluster.load.meter.CpuUsage;
import org.sessioncluster.load.report.TimelineReport;

/**
 * A network fault that is not a crash ({@link ChaosFault}), under load, on a cluster whose processes run in a
 * {@link NetworkLab}: at a seeded moment, for a window, one node (drawn from the seed) is cut off from its peers or
 * from Redis while the balancer still reaches it, or one node's link or Redis's loses packets, or Redis answers
 * late; then the fault heals. Counted by the load's continuity checks, for the whole run and for the window:
 * failed requests, sessions lost, stale answers, conflicting writes (a write accepted on an older copy of the
 * session: a second version of it), p99; the most threads a node had before and during the fault; and how long
 * after the heal the nodes agree again and answers are fast again.
 */
public final class ChaosRun {
    /**
     * @param fault      what goes wrong
     * @param before     load before the fault (the fault starts within a second after it, drawn from the seed)
     * @param window     how long the fault lasts
     * @param after      load after the heal
     * @param load       the users (its duration is replaced by before + window + after)
     * @param seed       draws the node and the moment
     * @param loss       the fraction of packets a lossy link drops (loss faults)
     * @param redisDelay how late every Redis reply comes (slow-redis)
     * @param redisJitter up to how much later still, drawn per reply (slow-redis)
     */
    public record Plan(
            ChaosFault fault,
            Duration before,
            Duration window,
            Duration after,
            LoadPlan load,
            long seed,
            double loss,
            Duration redisDelay,
            Duration redisJitter) {
        Duration total() {
            return before.plus(window).plus(after).plusSeconds(1);
        }
    }

    /** How long after the heal the nodes may take to agree before the run says they did not. */
    static final Duration AGREE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * A second after the heal is slow when its p99 is over this many times the p99 before the fault (slow-redis:
     * over half the delay) ...
     */
    static final double SLOW_FACTOR = 3;
    /** ... and over this many milliseconds (a fast run's p99 moves by more than 3× with a GC pause). */
    static final double SLOW_FLOOR_MS = 100;

    private ChaosRun() {}

    /**
     * @param redisFront the proxy between the nodes and Redis (needed by slow-redis; null otherwise)
     */
    public static TimelineReport.Scenario run(
            String name,
            RunningCluster cluster,
            NetworkLab lab,
            DelayingProxy redisFront,
            Plan plan,
            Consumer<String> progress)
            throws InterruptedException {
        if (plan.fault() == ChaosFault.SLOW_REDIS && redisFront == null) {
            throw new IllegalArgumentException("slow-redis needs the nodes to reach Redis through a delaying proxy");
        }
        Random random = new Random(plan.seed());
        List<ClusterNode> nodes = cluster.nodes();
        ClusterNode victim = nodes.get(random.nextInt(nodes.size()));
        Duration start = plan.before().plusMillis(random.nextInt(1000));
        LoadPlan load = new LoadPlan(
                plan.load().users(),
                plan.load().itemsPerVisit(),
                plan.load().payloadBytes(),
                plan.load().think(),
                plan.total(),
                0,
                plan.load().logout());
        // no process dies in a chaos run, so the CPU of every one of them is there to read at the end
        CpuMeter cpu = new CpuMeter(cluster.processesByRole());
        cpu.start();
        ThreadWatch threads = new ThreadWatch(cluster.processesByRole().get("nodes"));
        LoadGenerator.RunningLoad running =
                new LoadGenerator().start(load, new BalancerSelector(cluster.balancerUrl()), p -> {});
        Timeline timeline = running.timeline();
        double cutAt;
        double healedAt;
        long agreeMs;
        String what;
        long dropped = 0;
        int threadsBefore;
        int threadsDuring;
        try {
            Clock.until(timeline, start);
            threadsBefore = threads.takeMax();
            what = inject(plan, lab, redisFront, victim, nodes);
            cutAt = timeline.mark(what);
            progress.accept(String.format("%.1f s: %s", cutAt, what));
            Clock.until(timeline, start.plus(plan.window()));
            if (plan.fault() == ChaosFault.LOSS_NODE || plan.fault() == ChaosFault.LOSS_REDIS) {
                dropped = lab.dropped(plan.fault() == ChaosFault.LOSS_NODE ? victim.name() : "redis");
            }
            heal(lab, redisFront);
            threadsDuring = threads.takeMax();
            healedAt = timeline.mark("healed");
            long healed = System.nanoTime();
            boolean agreed = Clock.waitFor(() -> agree(cluster), AGREE_TIMEOUT);
            agreeMs = agreed ? (System.nanoTime() - healed) / 1_000_000 : -1;
            timeline.mark(agreed ? "the nodes agree again" : "the nodes still disagree");
            progress.accept(
                    agreed
                            ? "the nodes agree again " + agreeMs + " ms after the heal"
                            : "the nodes still disagree " + AGREE_TIMEOUT.toSeconds() + " s after the heal");
            Clock.until(timeline, plan.total());
        } finally {
            heal(lab, redisFront);
            threads.close();
            running.stop();
        }
        LoadGenerator.Result result = running.await();
        CpuUsage used = cpu.stop();
        var s = result.summary();
        // the 2 s before the fault: the cluster warmed, not its first requests
        Timeline.Window before = timeline.window(Math.max(0, cutAt - 2), cutAt);
        double slowMs = plan.fault() == ChaosFault.SLOW_REDIS
                ? plan.redisDelay().toMillis() / 2.0
                : Math.max(SLOW_FLOOR_MS, SLOW_FACTOR * before.p99Ms());
        Timeline.Window during = timeline.window(cutAt, healedAt);
        Timeline.Window afterHeal = timeline.window(healedAt, timeline.elapsedSeconds());
        Timeline.Window all = timeline.window(0, timeline.elapsedSeconds());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mode", cluster.config().sessionMode().configName());
        figures.put("policy", cluster.config().balancer().policy());
        figures.put("partition policy", cluster.config().channel().partitionPolicy());
        figures.put("nodes", nodes.size());
        figures.put("fault", plan.fault().label());
        figures.put("what", what);
        figures.put("window (s)", ScenarioFigures.round(healedAt - cutAt));
        if (plan.fault() == ChaosFault.LOSS_NODE || plan.fault() == ChaosFault.LOSS_REDIS) {
            figures.put("packets dropped", dropped);
        }
        if (plan.fault() == ChaosFault.SLOW_REDIS) {
            figures.put("Redis replies delayed", redisFront.delayedReplies());
        }
        figures.put("requests", s.requests());
        figures.put("failed requests", s.errors());
        figures.put("sessions lost", result.usersWithMiss());
        figures.put("stale answers", s.stale());
        figures.put("conflicting writes", all.conflictingWrites());
        figures.put("failed during the fault", during.errors());
        figures.put("stale during the fault", during.stale());
        figures.put("p99 in the 2 s before the fault (ms)", ScenarioFigures.round(before.p99Ms()));
        figures.put("p99 during the fault (ms)", ScenarioFigures.round(during.p99Ms()));
        figures.put("node threads before the fault (most)", threadsBefore);
        figures.put("node threads during the fault (most)", threadsDuring);
        figures.put("failed or stale after the heal", afterHeal.errors() + afterHeal.stale());
        figures.put("nodes agree after the heal (ms)", agreeMs);
        figures.put("last failed or stale answer after the heal (s)", lastTroubleAfter(timeline, healedAt));
        figures.put("a slow second: p99 over (ms)", ScenarioFigures.round(slowMs));
        figures.put("last slow second after the heal (s)", lastSlowAfter(timeline, healedAt, slowMs));
        figures.put("p99 (ms)", ScenarioFigures.round(s.p99Ms()));
        figures.put("cluster CPU per request (µs)", Math.round(used.totalMicrosPerRequest(s.requests())));
        s.errorSamples().forEach(e -> progress.accept("error: " + e));
        s.continuitySamples().forEach(e -> progress.accept("session: " + e));
        return new TimelineReport.Scenario(name, figures, timeline);
    }

    /** Starts the fault; returns what it did, in words. */
    private static String inject(
            Plan plan, NetworkLab lab, DelayingProxy redisFront, ClusterNode victim, List<ClusterNode> nodes) {
        String loss = String.format(Locale.ROOT, "%.1f %%", plan.loss() * 100);
        return switch (plan.fault()) {
            case PARTITION_PEERS -> {
                List<String> others = nodes.stream()
                        .map(ClusterNode::name)
                        .filter(n -> !n.equals(victim.name()))
                        .toList();
                lab.cut(victim.name(), others);
                yield "cut " + victim.name() + " off from " + String.join(", ", others);
            }
            case PARTITION_REDIS -> {
                lab.cut(victim.name(), List.of("redis"));
                yield "cut " + victim.name() + " off from redis";
            }
            case LOSS_NODE -> {
                lab.lose(victim.name(), plan.loss());
                yield victim.name() + "'s link drops " + loss + " of its packets";
            }
            case LOSS_REDIS -> {
                lab.lose("redis", plan.loss());
                yield "Redis's link drops " + loss + " of its packets";
            }
            case SLOW_REDIS -> {
                redisFront.setDelay(plan.redisDelay(), plan.redisJitter());
                yield "every Redis reply " + plan.redisDelay().toMillis() + " ms late"
                        + (plan.redisJitter().isZero()
                                ? ""
                                : " and up to " + plan.redisJitter().toMillis() + " ms more");
            }
        };
    }

    private static void heal(NetworkLab lab, DelayingProxy redisFront) {
        lab.heal();
        if (redisFront != null) {
            redisFront.setDelay(Duration.ZERO);
        }
    }

    /**
     * Seconds from the heal to the end of the last second whose p99 was over {@code slowMs}; 0 when none was.
     */
    static double lastSlowAfter(Timeline timeline, double healedAt, double slowMs) {
        double last = 0;
        for (Timeline.Second s : timeline.seconds()) {
            if (s.second() + 1 > healedAt && s.requests() > 0) {
                double p99 = timeline.window(s.second(), s.second() + 1).p99Ms();
                if (p99 > slowMs) {
                    last = Math.max(last, s.second() + 1 - healedAt);
                }
            }
        }
        return ScenarioFigures.round(last);
    }

    /** Seconds from the heal to the end of the last second with a failed or stale answer; 0 when none came. */
    static double lastTroubleAfter(Timeline timeline, double healedAt) {
        double last = 0;
        for (Timeline.Second s : timeline.seconds()) {
            if (s.second() + 1 > healedAt && s.errors() + s.stale() > 0) {
                last = Math.max(last, s.second() + 1 - healedAt);
            }
        }
        return ScenarioFigures.round(last);
    }

    /**
     * Whether the nodes agree: every node answers, and in delta and backup modes sees all its peers again (and in
     * delta holds as many sessions as every other node: each holds all of them).
     */
    static boolean agree(RunningCluster cluster) {
        List<NodeAddress> addresses =
                cluster.nodes().stream().map(ClusterNode::address).toList();
        Integer sessions = null;
        for (NodeAddress a : addresses) {
            NodeStatus status = NodeStatusClient.fetch(a).orElse(null);
            if (status == null) {
                return false;
            }
            SessionMode mode = cluster.config().sessionMode();
            if (mode.usesTribes() && !status.seesPeers(addresses.size() - 1)) {
                return false;
            }
            if (mode == SessionMode.DELTA) {
                if (sessions != null && sessions != status.sessions()) {
                    return false;
                }
                sessions = status.sessions();
            }
        }
        return true;
    }
}
