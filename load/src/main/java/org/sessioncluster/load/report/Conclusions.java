package org.sessioncluster.load.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Sentences drawn from the numbers: how each scenario's cost grows with the node count. Nothing here is hard-coded. */
public final class Conclusions {
    /** Within this relative spread a figure counts as flat. */
    static final double FLAT = 0.15;

    /**
     * How bytes per write grow with N, for one scenario.
     *
     * @param slope     least-squares slope of (bytes per write at N) / (bytes per write at the smallest N) against N − 1
     * @param spread    (max − min) / mean of bytes per write over N
     * @param flat      spread within {@link #FLAT}
     * @param smallestN the reference node count
     */
    public record Growth(String scenario, double slope, double spread, boolean flat, int smallestN, double reference) {}

    private Conclusions() {}

    public static Map<String, Growth> growth(List<RunResult> results) {
        Map<String, List<RunResult>> byScenario = new LinkedHashMap<>();
        results.forEach(r ->
                byScenario.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r));
        Map<String, Growth> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<RunResult>> e : byScenario.entrySet()) {
            List<RunResult> runs = new ArrayList<>(e.getValue());
            runs.sort(Comparator.comparingInt(RunResult::nodes));
            if (runs.size() < 2 || runs.get(0).bytesSentPerWrite() <= 0) {
                continue;
            }
            double reference = runs.get(0).bytesSentPerWrite();
            // ratio(N) ≈ slope · (N − 1), fitted through the origin: slope = Σxy / Σx²
            double sxy = 0;
            double sxx = 0;
            double min = Double.MAX_VALUE;
            double max = 0;
            double sum = 0;
            for (RunResult r : runs) {
                double x = (r.nodes() - 1) / (double) (runs.get(0).nodes() - 1);
                double y = r.bytesSentPerWrite() / reference;
                sxy += x * y;
                sxx += x * x;
                min = Math.min(min, r.bytesSentPerWrite());
                max = Math.max(max, r.bytesSentPerWrite());
                sum += r.bytesSentPerWrite();
            }
            double spread = (max - min) / (sum / runs.size());
            out.put(
                    e.getKey(),
                    new Growth(
                            e.getKey(),
                            sxy / sxx,
                            spread,
                            spread <= FLAT,
                            runs.get(0).nodes(),
                            reference));
        }
        return out;
    }

    /** One sentence per scenario, e.g. "delta: bytes sent per write grow 0.97 × (N−1) …". */
    public static List<String> sentences(List<RunResult> results) {
        List<String> lines = new ArrayList<>();
        for (Growth g : growth(results).values()) {
            if (g.flat()) {
                lines.add(String.format(
                        Locale.ROOT,
                        "%s: bytes sent per session write stay flat as nodes are added"
                                + " (within %.0f %% of each other, about %.0f bytes).",
                        g.scenario(),
                        g.spread() * 100,
                        g.reference()));
            } else {
                lines.add(String.format(
                        Locale.ROOT,
                        "%s: bytes sent per session write grow %.2f × (N−1)/(%d−1) times the"
                                + " %d-node figure of %.0f bytes (spread %.0f %% across node counts).",
                        g.scenario(),
                        g.slope(),
                        g.smallestN(),
                        g.smallestN(),
                        g.reference(),
                        g.spread() * 100));
            }
        }
        lines.addAll(cpuSentences(results));
        broadcastVsServer(results).ifPresent(lines::add);
        for (RunResult r : results) {
            if (r.load().misses() > 0 || r.load().stale() > 0) {
                lines.add(String.format(
                        Locale.ROOT,
                        "%s on %d nodes: %d session misses and %d stale reads in %d requests.",
                        r.scenario(),
                        r.nodes(),
                        r.load().misses(),
                        r.load().stale(),
                        r.load().requests()));
            }
        }
        return lines;
    }

    /**
     * Delta (every write copied to every peer) against redis (every write sent once, to the server) at the largest
     * node count both ran: throughput, p99, and the bytes each sent per request, which is what a link carries.
     */
    static java.util.Optional<String> broadcastVsServer(List<RunResult> results) {
        RunResult delta = null;
        RunResult redis = null;
        for (RunResult r : results) {
            RunResult other = results.stream()
                    .filter(o -> o.nodes() == r.nodes() && o.scenario().equals("redis"))
                    .findFirst()
                    .orElse(null);
            if (r.scenario().equals("delta") && other != null && (delta == null || r.nodes() > delta.nodes())) {
                delta = r;
                redis = other;
            }
        }
        if (delta == null || delta.rounds().isEmpty() || redis.rounds().isEmpty()) {
            return java.util.Optional.empty();
        }
        RunResult.Spread d = delta.spread(r -> r.load().throughput());
        RunResult.Spread s = redis.spread(r -> r.load().throughput());
        // rounds alternate between the clusters, so round i of one ran seconds from round i of the other: the
        // ratio round by round leaves out the drift that both shared (a cold first round, a busy machine)
        int n = Math.min(delta.rounds().size(), redis.rounds().size());
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            ratios[i] = delta.rounds().get(i).load().throughput()
                    / Math.max(1e-9, redis.rounds().get(i).load().throughput());
        }
        RunResult.Spread ratio = RunResult.Spread.of(ratios);
        return java.util.Optional.of(String.format(
                Locale.ROOT,
                "At %d nodes delta served %.0f requests/s (%.0f–%.0f) and redis %.0f (%.0f–%.0f): delta %.2f× of"
                        + " redis's, round by round %.2f–%.2f%s; p99 %.1f vs %.1f ms. Per request delta's nodes sent each other %.0f bytes"
                        + " (every write copied to %s), redis's nodes and Redis exchanged %.0f bytes"
                        + " (a write goes once, to the server).",
                delta.nodes(),
                d.median(),
                d.min(),
                d.max(),
                s.median(),
                s.min(),
                s.max(),
                ratio.median(),
                ratio.min(),
                ratio.max(),
                ratio.min() <= 1 && ratio.max() >= 1
                        ? " (within the noise: some rounds went the other way)"
                        : ratio.max() < 1 ? " (below in every round)" : " (above in every round)",
                delta.load().p99Ms(),
                redis.load().p99Ms(),
                delta.channelBytesPerRequest(),
                switch (delta.nodes()) {
                    case 1 -> "no other node";
                    case 2 -> "the other node";
                    default -> "the " + (delta.nodes() - 1) + " other nodes";
                },
                redis.redisBytesPerRequest()));
    }

    /** The scenario CPU figures are compared with. */
    static final String BASELINE = "local+sticky";

    /** A fall of CPU per request from the first round to the last beyond this: the run was not yet warm. */
    static final double STILL_WARMING = 0.15;

    /**
     * What a request costs each scenario next to local+sticky at each node count (medians of the rounds), and
     * whether the difference is within the noise (the rounds' ranges overlap); and which runs were still getting
     * cheaper round after round (not yet at their plateau).
     */
    static List<String> cpuSentences(List<RunResult> results) {
        List<String> lines = new ArrayList<>();
        Map<Integer, RunResult> baseline = new LinkedHashMap<>();
        results.stream()
                .filter(r -> r.scenario().equals(BASELINE) && r.hasCpu())
                .forEach(r -> baseline.put(r.nodes(), r));
        Map<String, List<String>> byScenario = new LinkedHashMap<>();
        for (RunResult r : results) {
            RunResult base = baseline.get(r.nodes());
            if (base == null || r == base || !r.hasCpu()) {
                continue;
            }
            RunResult.Spread mine = r.spread(RoundResult::cpuMicrosPerRequest);
            RunResult.Spread theirs = base.spread(RoundResult::cpuMicrosPerRequest);
            double ratio = mine.median() / theirs.median();
            byScenario
                    .computeIfAbsent(r.scenario(), k -> new ArrayList<>())
                    .add(String.format(
                            Locale.ROOT,
                            "%.2f× at %d nodes (%.0f vs %.0f µs%s)",
                            ratio,
                            r.nodes(),
                            mine.median(),
                            theirs.median(),
                            mine.overlaps(theirs) ? ", within the noise: the rounds' ranges overlap" : ""));
        }
        byScenario.forEach((scenario, parts) -> lines.add(
                scenario + ": cluster CPU per request " + String.join("; ", parts) + " of " + BASELINE + "'s."));
        for (RunResult r : results) {
            if (r.rounds().size() >= 2 && r.hasCpu()) {
                double first = r.rounds().get(0).cpuMicrosPerRequest();
                double last = r.rounds().get(r.rounds().size() - 1).cpuMicrosPerRequest();
                if (last < first * (1 - STILL_WARMING)) {
                    lines.add(String.format(
                            Locale.ROOT,
                            "%s on %d nodes was still getting cheaper (CPU per request %.0f → %.0f µs from the first"
                                    + " round to the last): its JVMs were not yet at their plateau; a longer run"
                                    + " (--duration, --rounds) lowers it further.",
                            r.scenario(),
                            r.nodes(),
                            first,
                            last));
                }
            }
        }
        return lines;
    }
}
