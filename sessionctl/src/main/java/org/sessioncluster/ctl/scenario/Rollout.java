package org.sessioncluster.ctl.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.load.Timeline;

/**
 * Puts a new WAR on a running cluster without dropping a request or a session:
 * <ul>
 *   <li><b>rolling</b> — with {@code maxSurge} 0, {@code maxUnavailable} nodes at a time: disable at the
 *   balancer (its users move to nodes that share their sessions), wait until it has no request in flight,
 *   stop it gracefully, start it with the new WAR, wait until it serves, sees its peers and is routed to;
 *   with {@code maxSurge} S &gt; 0: start S new nodes beside the old ones, then retire S old ones;</li>
 *   <li><b>blue-green</b> — start a green set as large as the blue one, disabled at the balancer but in the
 *   same cluster or session store; switch every node in one step; keep blue (running, disabled) while the
 *   green set is watched, until a confirmation or the hold time; on a breach or a "back", switch back in one
 *   step; else retire blue;</li>
 *   <li><b>canary</b> — the same green set, given a share of the traffic by weight in steps (10 → 50 → 100 %),
 *   each held and judged by the balancer's error rate and p99 for the green nodes; a breach rolls back at once.</li>
 * </ul>
 * Local mode has no shared sessions: a rollout there loses the sessions of every node it replaces (allowed,
 * and said so).
 */
public final class Rollout {
    public enum Strategy {
        ROLLING,
        BLUE_GREEN,
        CANARY
    }

    /**
     * @param strategy       how
     * @param war            the new version
     * @param maxUnavailable rolling: nodes restarted at once (maxSurge 0)
     * @param maxSurge       rolling: new nodes started before old ones are retired (0: restart in place)
     * @param steps          canary: percentages of traffic for the new version, ending at 100
     * @param hold           canary: how long each step is watched; blue-green: how long blue is kept
     * @param maxErrorRate   a green error rate above this in a step is a breach
     * @param maxP99Ms       a green p99 above this in a step is a breach
     * @param drainTimeout   how long to wait for a node's requests in flight before stopping it anyway
     */
    public record Options(
            Strategy strategy,
            Path war,
            int maxUnavailable,
            int maxSurge,
            List<Integer> steps,
            Duration hold,
            double maxErrorRate,
            double maxP99Ms,
            Duration drainTimeout,
            int minRequests) {}

    /** How it ended. */
    public record Result(boolean completed, String summary, List<String> nodes, Map<String, Object> steps) {}

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final RunningCluster cluster;
    private final ClusterLauncher launcher;
    private final BalancerAdmin admin;
    private final Options options;
    private final Timeline timeline;
    private final Consumer<String> progress;
    private final Supplier<String> operator;
    private final Map<String, Object> steps = new LinkedHashMap<>();

    /**
     * @param timeline where events are marked (the load's, or a fresh one)
     * @param operator polled while blue is kept: "ok" confirms now, "back" rolls back; null when nobody typed
     */
    public Rollout(
            RunningCluster cluster,
            ClusterLauncher launcher,
            Options options,
            Timeline timeline,
            Consumer<String> progress,
            Supplier<String> operator) {
        this.cluster = cluster;
        this.launcher = launcher;
        this.admin = cluster.balancerAdmin()
                .orElseThrow(() ->
                        new ClusterStateException("a rollout needs the balancer (this cluster runs without one)"));
        this.options = options;
        this.timeline = timeline;
        this.progress = progress;
        this.operator = operator;
        validate();
    }

    private void validate() {
        int n = liveNodes().size();
        if (n == 0) {
            throw new ClusterStateException("no node of this cluster is running");
        }
        if (options.strategy() == Strategy.ROLLING) {
            if (options.maxSurge() < 0 || options.maxSurge() > n) {
                throw new BadInputException(
                        "--max-surge " + options.maxSurge() + " is not allowed; allowed: 0 to " + n);
            }
            if (options.maxSurge() == 0
                    && (options.maxUnavailable() < 1 || options.maxUnavailable() >= Math.max(2, n))) {
                throw new BadInputException("--max-unavailable " + options.maxUnavailable() + " is not allowed with "
                        + n + " nodes; allowed: 1 to " + Math.max(1, n - 1)
                        + " (someone must serve), or use --max-surge");
            }
            if (options.maxSurge() == 0 && n == 1) {
                throw new BadInputException(
                        "a one-node cluster cannot roll in place without an outage; use --max-surge 1");
            }
        }
        if (options.strategy() == Strategy.CANARY) {
            List<Integer> s = options.steps();
            if (s.isEmpty() || s.get(s.size() - 1) != 100 || s.stream().anyMatch(p -> p < 1 || p > 100)) {
                throw new BadInputException(
                        "--steps " + s + " is not allowed; allowed: rising percentages from 1 to 100, ending at 100");
            }
            for (int i = 1; i < s.size(); i++) {
                if (s.get(i) <= s.get(i - 1)) {
                    throw new BadInputException("--steps " + s + " must rise");
                }
            }
        }
    }

    public Result run() throws InterruptedException {
        if (cluster.config().sessionMode() == SessionMode.LOCAL) {
            say(
                    "warning: local mode keeps sessions on their node; every node this rollout replaces takes its users' sessions with it");
        }
        return switch (options.strategy()) {
            case ROLLING -> options.maxSurge() > 0 ? rollingWithSurge() : rollingInPlace();
            case BLUE_GREEN, CANARY -> greenSet();
        };
    }

    private Result rollingInPlace() throws InterruptedException {
        List<String> names = liveNodes();
        for (int i = 0; i < names.size(); i += options.maxUnavailable()) {
            List<String> batch = names.subList(i, Math.min(names.size(), i + options.maxUnavailable()));
            for (String n : batch) {
                admin.command(n, "disable");
                mark("disable " + n);
            }
            for (String n : batch) {
                awaitIdle(n);
                cluster.node(n).process().stop(STOP_GRACE);
                admin.command(n, "enable"); // not registered while down: it gets nothing until it serves again
                mark("stopped " + n);
            }
            for (String n : batch) {
                launcher.restartNode(cluster, n, options.war());
                mark(n + " runs " + version(n));
            }
        }
        return done("rolled " + names.size() + " nodes in place, " + options.maxUnavailable() + " at a time");
    }

    private Result rollingWithSurge() throws InterruptedException {
        List<String> old = liveNodes();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < old.size(); i += options.maxSurge()) {
            List<String> batch = old.subList(i, Math.min(old.size(), i + options.maxSurge()));
            for (int k = 0; k < batch.size(); k++) {
                ClusterNode added = launcher.addNode(cluster, options.war());
                fresh.add(added.name());
                mark(added.name() + " runs " + version(added.name()));
            }
            for (String n : batch) {
                retire(n);
            }
        }
        return done("replaced " + old + " by " + fresh + ", " + options.maxSurge() + " at a time");
    }

    private Result greenSet() throws InterruptedException {
        List<String> blue = liveNodes();
        Map<String, Integer> blueWeights = new LinkedHashMap<>();
        for (String b : blue) {
            blueWeights.put(b, admin.node(b).map(BalancerStatus.Backend::weight).orElse(1));
        }
        List<String> green = new ArrayList<>();
        for (int i = 0; i < blue.size(); i++) {
            String name = ClusterLauncher.nextNodeName(cluster);
            admin.command(name, "disable"); // reserved at the balancer before it registers: no traffic yet
            launcher.addNode(cluster, options.war(), false);
            green.add(name);
            mark(name + " (green) ready with " + version(name));
        }
        if (options.strategy() == Strategy.BLUE_GREEN) {
            admin.switchNodes(green, blue);
            mark("switch: green " + green + " on, blue " + blue + " off");
            String verdict = keepBlue(green);
            if (verdict != null) {
                admin.switchNodes(blue, green);
                mark("switch back: " + verdict);
                retireAll(green);
                return rolledBack(verdict);
            }
        } else {
            for (int p : options.steps()) {
                if (p < 100) {
                    for (String g : green) {
                        admin.command(g, "weight?value=" + p);
                    }
                    for (String b : blue) {
                        admin.command(b, "weight?value=" + (100 - p));
                    }
                    admin.switchNodes(green, List.of());
                } else {
                    int usual = blueWeights.values().iterator().next();
                    for (String g : green) {
                        admin.command(g, "weight?value=" + usual); // blue is off: any weight is 100 %
                    }
                    admin.switchNodes(green, blue);
                }
                mark("canary " + p + " %");
                String verdict = judge(green, "canary " + p + " %");
                if (verdict != null) {
                    for (Map.Entry<String, Integer> b : blueWeights.entrySet()) {
                        admin.command(b.getKey(), "weight?value=" + b.getValue());
                    }
                    admin.switchNodes(blue, green);
                    mark("roll back: " + verdict);
                    retireAll(green);
                    return rolledBack(verdict);
                }
            }
        }
        retireAll(blue);
        return done("green " + green + " replaced blue " + blue);
    }

    /** Blue-green: watches green while blue is kept; returns why to switch back, or null to go on. */
    private String keepBlue(List<String> green) throws InterruptedException {
        say("keeping blue for " + options.hold().toSeconds() + " s while green is watched"
                + (operator == null ? "" : "; type ok + Enter to finish now, back + Enter to switch back"));
        return judge(green, "blue-green hold");
    }

    /** Holds a step while watching the green nodes; returns a breach (or an operator's "back") or null. */
    private String judge(List<String> green, String step) throws InterruptedException {
        BalancerWindow start = BalancerWindow.now(admin, green);
        long end = System.nanoTime() + options.hold().toNanos();
        BalancerWindow seen = start.since(start);
        boolean confirmed = false; // an operator's "ok" passes the step on the traffic seen so far
        while (System.nanoTime() < end) {
            Thread.sleep(250); // the step's hold: watching, not synchronising
            seen = BalancerWindow.now(admin, green).since(start);
            String breach = breach(seen);
            if (breach != null) {
                steps.put(step, figures(seen, "breach: " + breach));
                return breach;
            }
            String word = operator == null ? null : operator.get();
            if ("back".equals(word)) {
                steps.put(step, figures(seen, "operator: back"));
                return "the operator said back";
            }
            if ("ok".equals(word)) {
                confirmed = true;
                break;
            }
        }
        if (seen.requests() < options.minRequests() && !confirmed) {
            // no evidence is not good evidence: a step nobody used would promote a build nobody tried
            String verdict = String.format(
                    "too little traffic to judge: %d request%s reached the new version (--min-requests %d; run a"
                            + " load with --users N, or --min-requests 0 to go on without one)",
                    seen.requests(), seen.requests() == 1 ? "" : "s", options.minRequests());
            steps.put(step, figures(seen, verdict));
            return verdict;
        }
        steps.put(step, figures(seen, seen.requests() == 0 ? "passed (no request reached the new version)" : "passed"));
        say(String.format(
                "%s: %d requests to the new version, error rate %.3f, p99 <= %s ms: passed",
                step, seen.requests(), seen.errorRate(), fmt(seen.p99Ms())));
        return null;
    }

    private String breach(BalancerWindow w) {
        if (w.requests() < Math.max(1, options.minRequests())) {
            return null;
        }
        if (w.errorRate() > options.maxErrorRate()) {
            return String.format(
                    "error rate %.3f > %.3f (%d of %d requests)",
                    w.errorRate(), options.maxErrorRate(), w.errors(), w.requests());
        }
        if (w.p99Ms() > options.maxP99Ms()) {
            return "p99 " + fmt(w.p99Ms()) + " ms > " + fmt(options.maxP99Ms()) + " ms";
        }
        return null;
    }

    private static Map<String, Object> figures(BalancerWindow w, String verdict) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requests", w.requests());
        f.put("errors", w.errors());
        f.put("errorRate", Math.round(w.errorRate() * 1000) / 1000.0);
        f.put("p99MsAtMost", fmt(w.p99Ms()));
        f.put("verdict", verdict);
        return f;
    }

    private static String fmt(double ms) {
        return Double.isInfinite(ms) ? "inf" : ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
    }

    private void retireAll(List<String> names) throws InterruptedException {
        for (String n : names) {
            retire(n);
        }
    }

    /** Disable, let its requests finish, stop it gracefully, forget it. */
    private void retire(String name) throws InterruptedException {
        admin.command(name, "disable");
        awaitIdle(name);
        launcher.retireNode(cluster, name, STOP_GRACE);
        mark("retired " + name);
    }

    /** Waits until the balancer has had no request in flight to the node for two polls in a row. */
    private void awaitIdle(String name) throws InterruptedException {
        int quiet = 0;
        long deadline = System.nanoTime() + options.drainTimeout().toNanos();
        while (quiet < 2) {
            int active = admin.node(name).map(BalancerStatus.Backend::active).orElse(0);
            quiet = active == 0 ? quiet + 1 : 0;
            if (System.nanoTime() > deadline) {
                say("warning: " + name + " still had " + active + " requests in flight after "
                        + options.drainTimeout().toSeconds() + " s; stopping it anyway");
                return;
            }
            Thread.sleep(100); // polling the balancer's in-flight count
        }
    }

    private String version(String node) {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(cluster.node(node).url() + "/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return "version " + r.headers().firstValue("X-App-Version").orElse("?");
        } catch (java.io.IOException e) {
            return "version ?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "version ?";
        }
    }

    private List<String> liveNodes() {
        return cluster.nodes().stream()
                .filter(n -> n.process().isAlive())
                .map(ClusterNode::name)
                .toList();
    }

    private void mark(String what) {
        double at = timeline.mark(what);
        progress.accept(String.format("%6.1f s  %s", at, what));
    }

    private void say(String what) {
        progress.accept(String.format("%6.1f s  %s", timeline.elapsedSeconds(), what));
    }

    private Result done(String summary) {
        mark("done: " + summary);
        return new Result(true, summary, liveNodes(), steps);
    }

    private Result rolledBack(String why) {
        return new Result(false, "rolled back: " + why, liveNodes(), steps);
    }
}
