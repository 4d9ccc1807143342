package org.sessioncluster.load.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A model past one machine, fitted to the measured node counts and labelled as a model wherever it is shown.
 *
 * <p>Per scenario, two straight lines in N − 1 (the number of peers a node has), fitted by least squares to the
 * medians of the rounds: cluster CPU per request, and bytes a node puts on the network per request (to its peers,
 * to Redis or to the shared store). All-to-all replication shows up as a slope (each write goes to N − 1 peers,
 * each peer deserializes it); a session server as a flat line. Projected to larger N, at a given request rate per
 * node (adding nodes to serve more users keeps the rate per node, not the total) and a given session size (bytes
 * per request scale with it, measured at the run's payload):
 *
 * <ul>
 *   <li>a node's link carries rate × bytes per request(N) each way (all-to-all: what it sends its peers, and about
 *       as much from them);
 *   <li>a shared server's link (Redis, the store) carries N times one node's traffic to it, divided among the
 *       servers of a sharded store (a Redis Cluster's primaries).
 * </ul>
 *
 * <p>Checked against the measurements: with three or more node counts, the lines are fitted again without the
 * largest and their prediction for it is compared with what was measured (the error printed). Outside that range
 * the model assumes nothing else changes (no NIC, switch or kernel limits, no GC or cache effects).
 */
public final class ScaleModel {

    /**
     * What the projection is for: a request rate per node, a session size, a link, node counts to project to, and
     * how many servers share a scenario's session traffic (a sharded Redis Cluster's primaries; 1 when not named).
     */
    public record Assumptions(
            double requestsPerSecondPerNode,
            double sessionBytes,
            double measuredPayloadBytes,
            double linkBitsPerSecond,
            List<Integer> projectTo,
            Map<String, Integer> serversByScenario) {
        public Assumptions {
            projectTo = List.copyOf(projectTo);
            serversByScenario = Map.copyOf(serversByScenario);
        }

        public Assumptions(
                double requestsPerSecondPerNode,
                double sessionBytes,
                double measuredPayloadBytes,
                double linkBitsPerSecond,
                List<Integer> projectTo) {
            this(requestsPerSecondPerNode, sessionBytes, measuredPayloadBytes, linkBitsPerSecond, projectTo, Map.of());
        }

        int servers(String scenario) {
            return Math.max(1, serversByScenario.getOrDefault(scenario, 1));
        }
    }

    /** y = intercept + slope · (N − 1). */
    public record Line(double intercept, double slope) {
        public double at(int nodes) {
            return intercept + slope * (nodes - 1);
        }
    }

    /**
     * One scenario's fitted lines and how well they predict.
     *
     * @param measured        node count → cluster CPU µs per request (median of the rounds)
     * @param fitError        the largest |line − measured| / measured of CPU per request over the points fitted
     * @param checkNodes      the node count held out for the check (0 when fewer than three were measured)
     * @param cpuCheckError   |predicted − measured| / measured at checkNodes, from lines fitted without it
     * @param bytesCheckError the same for bytes per request
     * @param sharedServer    true when the bytes go to one server (Redis, the store) rather than to peers
     */
    public record Fit(
            String scenario,
            Line cpu,
            Line bytes,
            Map<Integer, Double> measured,
            double fitError,
            int checkNodes,
            double cpuCheckError,
            double bytesCheckError,
            boolean sharedServer) {}

    /** A projected point. Link figures in bits per second, each way. */
    public record Projection(
            String scenario, int nodes, double cpuMicrosPerRequest, double nodeLinkBits, double serverLinkBits) {}

    private ScaleModel() {}

    /** Lines for every scenario measured (with CPU figures) on at least two node counts. */
    public static Map<String, Fit> fit(List<RunResult> results) {
        Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
        results.stream()
                .filter(RunResult::hasCpu)
                .forEach(r -> byScenario
                        .computeIfAbsent(r.scenario(), k -> new ArrayList<>())
                        .add(r));
        Map<String, Fit> out = new LinkedHashMap<>();
        byScenario.forEach((scenario, runs) -> {
            runs.sort(Comparator.comparingInt(RunResult::nodes));
            if (runs.stream().map(RunResult::nodes).distinct().count() < 2) {
                return;
            }
            Line cpu = line(runs, ScaleModel::cpu);
            Line bytes = flatOrLine(runs, ScaleModel::bytesPerRequest);
            Map<Integer, Double> measured = new LinkedHashMap<>();
            runs.forEach(r -> measured.put(r.nodes(), cpu(r)));
            double fitError = runs.stream()
                    .mapToDouble(r -> relativeError(cpu.at(r.nodes()), cpu(r)))
                    .max()
                    .orElse(0);
            int checkNodes = 0;
            double cpuError = Double.NaN;
            double bytesError = Double.NaN;
            if (runs.stream().map(RunResult::nodes).distinct().count() >= 3) {
                RunResult last = runs.get(runs.size() - 1);
                List<RunResult> rest = runs.subList(0, runs.size() - 1);
                checkNodes = last.nodes();
                cpuError = relativeError(line(rest, ScaleModel::cpu).at(checkNodes), cpu(last));
                bytesError = relativeError(
                        flatOrLine(rest, ScaleModel::bytesPerRequest).at(checkNodes), bytesPerRequest(last));
            }
            boolean shared = runs.stream()
                    .anyMatch(r -> r.meter().redisInputBytes() + r.meter().storeWrittenBytes() > 0);
            out.put(
                    scenario,
                    new Fit(scenario, cpu, bytes, measured, fitError, checkNodes, cpuError, bytesError, shared));
        });
        return out;
    }

    public static List<Projection> project(Map<String, Fit> fits, Assumptions a) {
        List<Projection> out = new ArrayList<>();
        for (Fit f : fits.values()) {
            for (int n : a.projectTo()) {
                double node = nodeLinkBits(f, a, n);
                out.add(new Projection(
                        f.scenario(),
                        n,
                        Math.max(0, f.cpu().at(n)),
                        node,
                        f.sharedServer() ? node * n / a.servers(f.scenario()) : 0));
            }
        }
        return out;
    }

    /** The busiest link's load at N: a node's own, or the shared server's. */
    static double busiestLinkBits(Fit f, Assumptions a, int nodes) {
        double node = nodeLinkBits(f, a, nodes);
        return f.sharedServer() ? node * nodes / a.servers(f.scenario()) : node;
    }

    private static double nodeLinkBits(Fit f, Assumptions a, int nodes) {
        double scale = a.measuredPayloadBytes() > 0 ? a.sessionBytes() / a.measuredPayloadBytes() : 1;
        return Math.max(0, f.bytes().at(nodes)) * scale * 8 * a.requestsPerSecondPerNode();
    }

    /** The smallest N ≤ limit whose busiest link carries more than the link takes, if any. */
    public static OptionalInt linkFullAt(Fit f, Assumptions a, int limit) {
        for (int n = 2; n <= limit; n++) {
            if (busiestLinkBits(f, a, n) > a.linkBitsPerSecond()) {
                return OptionalInt.of(n);
            }
        }
        return OptionalInt.empty();
    }

    /** The smallest N ≤ limit from which {@code a} costs more cluster CPU per request than {@code b}, if any. */
    public static OptionalInt costsMoreFrom(Fit a, Fit b, int limit) {
        for (int n = 2; n <= limit; n++) {
            if (a.cpu().at(n) > b.cpu().at(n)) {
                return OptionalInt.of(n);
            }
        }
        return OptionalInt.empty();
    }

    /** The model's findings in words, each saying it is a model. */
    public static List<String> sentences(Map<String, Fit> fits, Assumptions a) {
        List<String> lines = new ArrayList<>();
        String at = String.format(
                Locale.ROOT,
                "at %.0f requests/s per node and %.0f-byte sessions",
                a.requestsPerSecondPerNode(),
                a.sessionBytes());
        for (Fit f : fits.values()) {
            lines.add(String.format(
                    Locale.ROOT,
                    "Model fit, %s: cluster CPU per request ≈ %.0f + %.1f·(N−1) µs; it reproduces the measured"
                            + " points within %.0f %%.",
                    f.scenario(),
                    f.cpu().intercept(),
                    f.cpu().slope(),
                    Math.ceil(f.fitError() * 100)));
            if (f.checkNodes() > 0) {
                lines.add(String.format(
                        Locale.ROOT,
                        "Model check, %s: fitted without %d nodes, it predicts the measured %d-node CPU per request"
                                + " within %.0f %% and bytes per request within %.0f %%.",
                        f.scenario(),
                        f.checkNodes(),
                        f.checkNodes(),
                        f.cpuCheckError() * 100,
                        f.bytesCheckError() * 100));
            }
        }
        Fit delta = fits.get("delta");
        int limit = 1024;
        if (delta != null) {
            OptionalInt full = linkFullAt(delta, a, limit);
            lines.add(String.format(
                    Locale.ROOT,
                    "Model: delta's replication traffic fills a %.0f Mbit/s node link %s %s.",
                    a.linkBitsPerSecond() / 1e6,
                    full.isPresent() ? "from N = " + full.getAsInt() : "at no N up to " + limit,
                    at));
            for (String server : List.of("redis", "redis-cluster")) {
                Fit s = fits.get(server);
                if (s == null) {
                    continue;
                }
                OptionalInt more = costsMoreFrom(delta, s, limit);
                lines.add(String.format(
                        Locale.ROOT,
                        "Model: delta costs more cluster CPU per request than %s %s.",
                        server,
                        more.isEmpty()
                                ? "at no N up to " + limit
                                : more.getAsInt() == 2
                                        ? "already at N = 2 (measured)"
                                        : "from N = " + more.getAsInt()));
                OptionalInt serverFull = linkFullAt(s, a, limit);
                lines.add(String.format(
                        Locale.ROOT,
                        "Model: %s's server link (all nodes' session traffic) fills %.0f Mbit/s %s %s.",
                        server,
                        a.linkBitsPerSecond() / 1e6,
                        serverFull.isPresent() ? "from N = " + serverFull.getAsInt() : "at no N up to " + limit,
                        at));
            }
        }
        return lines;
    }

    private static double cpu(RunResult r) {
        return r.spread(RoundResult::cpuMicrosPerRequest).median();
    }

    /** What a node puts on the network to share sessions, per request: to peers, to and from Redis, to the store. */
    static double bytesPerRequest(RunResult r) {
        return r.channelBytesPerRequest()
                + r.redisBytesPerRequest()
                + r.meter().storeWrittenBytes() / (double) Math.max(1, r.load().requests());
    }

    /**
     * Bytes per request that stay within {@link Conclusions#FLAT} of their mean across N (a session server's) are
     * taken as flat: a slope fitted to their noise would run to zero or grow without cause far out.
     */
    private static Line flatOrLine(List<RunResult> runs, java.util.function.ToDoubleFunction<RunResult> y) {
        double min = runs.stream().mapToDouble(y).min().orElse(0);
        double max = runs.stream().mapToDouble(y).max().orElse(0);
        double mean = runs.stream().mapToDouble(y).average().orElse(0);
        return mean > 0 && (max - min) / mean <= Conclusions.FLAT ? new Line(mean, 0) : line(runs, y);
    }

    private static Line line(List<RunResult> runs, java.util.function.ToDoubleFunction<RunResult> y) {
        int n = runs.size();
        double mx = runs.stream().mapToDouble(r -> r.nodes() - 1).average().orElse(0);
        double my = runs.stream().mapToDouble(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (RunResult r : runs) {
            double dx = r.nodes() - 1 - mx;
            sxy += dx * (y.applyAsDouble(r) - my);
            sxx += dx * dx;
        }
        double slope = n < 2 || sxx == 0 ? 0 : sxy / sxx;
        return new Line(my - slope * mx, slope);
    }

    private static double relativeError(double predicted, double measured) {
        return measured == 0 ? 0 : Math.abs(predicted - measured) / measured;
    }
}
