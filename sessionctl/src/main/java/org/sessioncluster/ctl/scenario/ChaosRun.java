package org.sessioncluster.ctl.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.NodeStatus;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.ctl.network.NetworkLab;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.Timeline;
import org.sessioncluster.load.meter.CpuMeter;
import org.sessioncluster.load.meter.CpuUsage;
import org.sessioncluster.load.report.TimelineReport;

/**
 * A network fault that is not a crash, under load, on a cluster whose processes run in a {@link NetworkLab}: one
 * node (drawn from the seed) is cut off from its cluster peers or from Redis while the balancer still reaches
 * it, at a seeded moment, for a window; then the cut heals. Counted by the load's continuity checks, for the
 * whole run and for the window: failed requests, sessions lost, stale answers, conflicting writes (a write
 * accepted on an older copy of the session: a second version of it), p99; and how long after the heal the
 * nodes agree again.
 */
public final class ChaosRun {
    /** What is cut. */
    public enum Fault {
        /** One node from the other nodes (its cluster peers): the Tribes channel splits; the balancer reaches all. */
        PARTITION_PEERS("partition-peers"),
        /** One node from Redis: the others still reach it. */
        PARTITION_REDIS("partition-redis");

        private final String label;

        Fault(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether the fault means something in this mode (a Redis cut needs a Redis). */
        public boolean appliesTo(SessionMode mode) {
            return this != PARTITION_REDIS || mode.usesRedis();
        }

        public static Fault named(String label) {
            for (Fault f : values()) {
                if (f.label.equals(label.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException(
                    "fault '" + label + "' is not known; known: partition-peers," + " partition-redis");
        }
    }

    /**
     * @param fault  what is cut
     * @param before load before the fault (the fault starts within a second after it, drawn from the seed)
     * @param window how long the cut lasts
     * @param after  load after the heal
     * @param load   the users (its duration is replaced by before + window + after)
     * @param seed   draws the node and the moment
     */
    public record Plan(Fault fault, Duration before, Duration window, Duration after, LoadPlan load, long seed) {
        Duration total() {
            return before.plus(window).plus(after).plusSeconds(1);
        }
    }

    /** How long after the heal the nodes may take to agree before the run says they did not. */
    static final Duration AGREE_TIMEOUT = Duration.ofSeconds(30);

    private ChaosRun() {}

    public static TimelineReport.Scenario run(
            String name, RunningCluster cluster, NetworkLab lab, Plan plan, Consumer<String> progress)
            throws InterruptedException {
        Random random = new Random(plan.seed());
        List<ClusterNode> nodes = cluster.nodes();
        ClusterNode victim = nodes.get(random.nextInt(nodes.size()));
        Duration start = plan.before().plusMillis(random.nextInt(1000));
        List<String> others = plan.fault() == Fault.PARTITION_PEERS
                ? nodes.stream()
                        .map(ClusterNode::name)
                        .filter(n -> !n.equals(victim.name()))
                        .toList()
                : List.of("redis");
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
        LoadGenerator.RunningLoad running =
                new LoadGenerator().start(load, new BalancerSelector(cluster.balancerUrl()), p -> {});
        Timeline timeline = running.timeline();
        double cutAt;
        double healedAt;
        long agreeMs;
        try {
            Clock.until(timeline, start);
            lab.cut(victim.name(), others);
            cutAt = timeline.mark("cut " + victim.name() + " off from " + String.join(", ", others));
            progress.accept(String.format("%.1f s: cut %s off from %s", cutAt, victim.name(), others));
            Clock.until(timeline, start.plus(plan.window()));
            lab.heal();
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
            lab.heal();
            running.stop();
        }
        LoadGenerator.Result result = running.await();
        CpuUsage used = cpu.stop();
        var s = result.summary();
        Timeline.Window during = timeline.window(cutAt, healedAt);
        Timeline.Window afterHeal = timeline.window(healedAt, timeline.elapsedSeconds());
        Timeline.Window all = timeline.window(0, timeline.elapsedSeconds());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("mode", cluster.config().sessionMode().configName());
        figures.put("policy", cluster.config().balancerPolicy());
        figures.put("partition policy", cluster.config().clusterPartitionPolicy());
        figures.put("nodes", nodes.size());
        figures.put("fault", plan.fault().label());
        figures.put("cut off", victim.name() + " from " + String.join(", ", others));
        figures.put("window (s)", FailoverRun.round(healedAt - cutAt));
        figures.put("requests", s.requests());
        figures.put("failed requests", s.errors());
        figures.put("sessions lost", result.usersWithMiss());
        figures.put("stale answers", s.stale());
        figures.put("conflicting writes", all.conflictingWrites());
        figures.put("failed during the cut", during.errors());
        figures.put("stale during the cut", during.stale());
        figures.put("p99 during the cut (ms)", FailoverRun.round(during.p99Ms()));
        figures.put("failed or stale after the heal", afterHeal.errors() + afterHeal.stale());
        figures.put("nodes agree after the heal (ms)", agreeMs);
        figures.put("last failed or stale answer after the heal (s)", lastTroubleAfter(timeline, healedAt));
        figures.put("p99 (ms)", FailoverRun.round(s.p99Ms()));
        figures.put("cluster CPU per request (µs)", Math.round(used.totalMicrosPerRequest(s.requests())));
        s.errorSamples().forEach(e -> progress.accept("error: " + e));
        s.continuitySamples().forEach(e -> progress.accept("session: " + e));
        return new TimelineReport.Scenario(name, figures, timeline);
    }

    /** Seconds from the heal to the end of the last second with a failed or stale answer; 0 when none came. */
    static double lastTroubleAfter(Timeline timeline, double healedAt) {
        double last = 0;
        for (Timeline.Second s : timeline.seconds()) {
            if (s.second() + 1 > healedAt && s.errors() + s.stale() > 0) {
                last = Math.max(last, s.second() + 1 - healedAt);
            }
        }
        return FailoverRun.round(last);
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
            NodeStatus status = NodeStatus.fetch(a).orElse(null);
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
