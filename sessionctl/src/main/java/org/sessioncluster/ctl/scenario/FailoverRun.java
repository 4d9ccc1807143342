package org.sessioncluster.ctl.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.NodeStatusClient;
import org.sessioncluster.ctl.cluster.RedisClusterView;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.BalancerSelector;
import org.sessioncluster.load.LoadGenerator;
import org.sessioncluster.load.LoadPlan;
import org.sessioncluster.load.Timeline;
import org.sessioncluster.load.report.TimelineReport;

/**
 * A node crash under load: the load runs through the balancer; at {@code killAt} the victim gets SIGKILL;
 * the run measures how long the balancer kept it in rotation, and (optionally) restarts it after
 * {@code restartAfter} and waits until it is ready again — in delta and backup modes that includes the
 * session state its peers send it before it serves. Counted by the load's continuity checks: failed
 * requests, failed GETs, sessions lost (users who found their session gone), stale answers.
 */
public final class FailoverRun {
    /**
     * @param victim       the node to kill
     * @param killAt       when, from the start of the load
     * @param restartAfter how long after the kill to start it again (null: it stays down)
     * @param load         the load (bounded by its duration)
     */
    public record Plan(String victim, Duration killAt, Duration restartAfter, LoadPlan load) {
        public Plan {
            if (load.duration() == null || killAt.compareTo(load.duration()) >= 0) {
                throw new IllegalArgumentException(
                        "the kill (at " + killAt.toMillis() / 1000.0 + " s) must come before the end of the load");
            }
        }
    }

    /** The timeline mark of the promotion of a Redis replica. */
    public static final String PROMOTED = "a replica is the Redis primary";

    /** The port of the live primary of slot 0 (the first shard's), -1 when no node says. */
    private static int clusterPrimaryOfSlot0(org.sessioncluster.config.ClusterConfig config) {
        return RedisClusterView.of(config.redis().clusterNodes(), RedisServer.access(config))
                .flatMap(v -> v.primaryOf(0))
                .map(hp -> Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1)))
                .orElse(-1);
    }

    /** The victim name that means the Redis primary (redis mode with Sentinel or a Redis Cluster). */
    public static final String REDIS_PRIMARY = "redis-primary";

    /** How long the load goes on after a restarted node is back (the run's duration permitting more). */
    static final Duration AFTER_REJOIN = Duration.ofSeconds(3);
    /** The most a run is extended past its duration while a restart is under way. */
    private static final Duration MAX_EXTENSION = Duration.ofSeconds(120);

    private FailoverRun() {}

    /**
     * The Redis primary killed under load, with a Sentinel to promote the replica: the error window (from the
     * kill to the end of the last failed request), when the Sentinel named the new primary, and the sessions
     * lost or stale — none should be with {@code redis.sync.replicas} ≥ 1.
     */
    public static TimelineReport.Scenario runRedisPrimary(
            String name, RunningCluster cluster, Plan plan, Consumer<String> progress) throws InterruptedException {
        var config = cluster.config();
        boolean sharded = !config.redis().clusterNodes().isEmpty();
        if (config.redis().sentinels().isEmpty() && !sharded || cluster.redis().isEmpty()) {
            throw new ClusterStateException(
                    "killing the Redis primary needs the embedded Sentinel setup or Redis Cluster"
                            + " (redis mode with --set redis.embedded.sentinel=true or redis.embedded.cluster=true)");
        }
        IntSupplier primaryNow =
                sharded ? () -> clusterPrimaryOfSlot0(config) : () -> RedisServer.sentinelView(config)[0];
        String watcher = sharded ? "the Redis Cluster" : "the Sentinel";
        if (!sharded && !Clock.waitFor(() -> RedisServer.sentinelView(config)[1] > 0, Duration.ofSeconds(20))) {
            throw new ClusterStateException(
                    "the Sentinel at " + config.redis().sentinels().get(0) + " does not know a replica of '"
                            + config.redis().sentinelMaster() + "' after 20 s");
        }
        int firstPrimary = sharded ? config.redis().embeddedPort() : primaryNow.getAsInt();
        LoadGenerator.RunningLoad load =
                new LoadGenerator().start(plan.load(), new BalancerSelector(cluster.balancerUrl()), p -> {});
        Timeline timeline = load.timeline();
        try {
            Clock.until(timeline, plan.killAt());
            long killed = System.nanoTime();
            double killedAt = timeline.elapsedSeconds();
            cluster.redis().get().kill();
            timeline.mark("SIGKILL the Redis primary (port " + firstPrimary + ")");
            progress.accept(String.format("%.1f s: killed the Redis primary on port %d", killedAt, firstPrimary));
            int[] now = new int[1];
            boolean promoted = Clock.waitFor(
                    () -> {
                        now[0] = primaryNow.getAsInt();
                        return now[0] > 0 && now[0] != firstPrimary;
                    },
                    Duration.ofSeconds(30));
            long promotedMs = promoted ? (System.nanoTime() - killed) / 1_000_000 : -1;
            timeline.mark(PROMOTED + " (port " + now[0] + ")");
            progress.accept(
                    watcher + " promoted the replica (port " + now[0] + ") " + promotedMs + " ms after the kill");
            LoadGenerator.Result result = load.await();
            double lastError = timeline.lastErrorSeconds();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("mode", sharded ? "redis + Redis Cluster" : "redis + Sentinel");
            figures.put("sync replicas", config.redis().syncReplicas());
            figures.put("nodes", config.nodeCount());
            ScenarioFigures.putOutcome(figures, result);
            figures.put("replica promoted after (ms)", promotedMs);
            figures.put("error window (ms)", lastError > killedAt ? Math.round((lastError - killedAt) * 1000) : 0);
            return ScenarioFigures.scenario(name, figures, result, timeline, progress);
        } finally {
            load.stop();
        }
    }

    /** Runs the plan on a running cluster with a balancer; returns the scenario for the report. */
    public static TimelineReport.Scenario run(
            String name, RunningCluster cluster, ClusterLauncher launcher, Plan plan, Consumer<String> progress)
            throws InterruptedException {
        BalancerAdmin admin = cluster.balancerAdmin()
                .orElseThrow(() -> new ClusterStateException("a failover run needs the balancer"));
        ClusterNode victim = cluster.node(plan.victim());
        // The load runs for its duration, and at least AFTER_REJOIN past the restarted node's return, however
        // long the restart takes: a rejoined node that never got traffic would prove nothing.
        LoadPlan open = new LoadPlan(
                plan.load().users(),
                plan.load().itemsPerVisit(),
                plan.load().payloadBytes(),
                plan.load().think(),
                plan.load().duration().plus(MAX_EXTENSION),
                plan.load().maxRequests(),
                plan.load().logout());
        LoadGenerator.RunningLoad load =
                new LoadGenerator().start(open, new BalancerSelector(cluster.balancerUrl()), p -> {});
        Timeline timeline = load.timeline();
        try {
            Clock.until(timeline, plan.killAt());
            int sessionsOnVictim = NodeStatusClient.fetch(victim.address())
                    .map(NodeStatus::sessions)
                    .orElse(-1);
            long killed = System.nanoTime();
            victim.process().kill();
            timeline.mark("SIGKILL " + victim.name());
            progress.accept(String.format(
                    "%.1f s: killed %s (it held %d sessions)",
                    timeline.elapsedSeconds(), victim.name(), sessionsOnVictim));
            long ejectedMs = Clock.waitFor(() -> !admin.routes(victim.name()), Duration.ofSeconds(30))
                    ? (System.nanoTime() - killed) / 1_000_000
                    : -1;
            timeline.mark("balancer stops routing to " + victim.name());
            progress.accept(
                    "the balancer stopped routing to " + victim.name() + " " + ejectedMs + " ms after the kill");
            double restartSeconds = -1;
            if (plan.restartAfter() != null) {
                Clock.until(timeline, plan.killAt().plus(plan.restartAfter()));
                timeline.mark("restart " + victim.name());
                long started = System.nanoTime();
                launcher.restartNode(cluster, victim.name());
                restartSeconds = (System.nanoTime() - started) / 1e9;
                double ready = timeline.mark(victim.name() + " ready and routed");
                progress.accept(
                        String.format("%s is back, ready and routed after %.1f s", victim.name(), restartSeconds));
                Clock.until(timeline, Duration.ofMillis((long) (ready * 1000)).plus(AFTER_REJOIN));
            }
            Clock.until(timeline, plan.load().duration());
            load.stop();
            LoadGenerator.Result result = load.await();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("mode", cluster.config().sessionMode().configName());
            figures.put("policy", cluster.config().balancer().policy());
            figures.put("nodes", cluster.config().nodeCount());
            ScenarioFigures.putOutcome(figures, result);
            figures.put("sessions on the killed node", sessionsOnVictim);
            figures.put("balancer stopped routing after (ms)", ejectedMs);
            figures.put("restart until ready (s)", ScenarioFigures.round(restartSeconds));
            return ScenarioFigures.scenario(name, figures, result, timeline, progress);
        } finally {
            load.stop();
        }
    }
}
