package org.sessioncluster.load.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;

/**
 * One cell of the comparison: a scenario (session mode + balancer policy) on N nodes, what the load saw and
 * what sharing the sessions cost, over all its rounds.
 *
 * @param scenario label, e.g. "delta" or "local+sticky"
 * @param nodes    node count
 * @param load     the load generator's summary over all rounds (counts summed; throughput and latencies the
 *                 median of the rounds)
 * @param meter    what the nodes, the channel, Redis and the store counted, summed over the rounds
 * @param rounds   each metered run on its own (empty for a single run without CPU figures)
 */
public record RunResult(
        String scenario, int nodes, LoadSummary load, ClusterMeter.Delta meter, List<RoundResult> rounds) {

    public RunResult {
        rounds = List.copyOf(rounds);
    }

    /** A single run without rounds or CPU figures. */
    public RunResult(String scenario, int nodes, LoadSummary load, ClusterMeter.Delta meter) {
        this(scenario, nodes, load, meter, List.of());
    }

    /** The cell of these rounds: counts and bytes summed, throughput and latencies the median round's. */
    public static RunResult of(String scenario, int nodes, List<RoundResult> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no rounds of " + scenario + " on " + nodes + " nodes");
        }
        return new RunResult(scenario, nodes, load(rounds), meter(rounds), rounds);
    }

    /**
     * Bytes the nodes sent to share sessions, per session write: on the Tribes channel (delta, backup), to
     * Redis (redis) or to the shared store (disk) — one scale for every mode.
     */
    public double bytesSentPerWrite() {
        long writes = Math.max(1, load.writes());
        return (meter.sentBytes() + meter.redisInputBytes() + meter.storeWrittenBytes()) / (double) writes;
    }

    /** Bytes the nodes received back (from peers or from Redis) per session write. */
    public double bytesReceivedPerWrite() {
        long writes = Math.max(1, load.writes());
        return (meter.receivedBytes() + meter.redisOutputBytes()) / (double) writes;
    }

    /** Bytes on the cluster channel (sent by all nodes) per request. */
    public double channelBytesPerRequest() {
        return meter.sentBytes() / (double) Math.max(1, load.requests());
    }

    /** Bytes between the nodes and Redis (both ways) per request. */
    public double redisBytesPerRequest() {
        return (meter.redisInputBytes() + meter.redisOutputBytes()) / (double) Math.max(1, load.requests());
    }

    /** Redis commands per request. */
    public double redisCommandsPerRequest() {
        return meter.redisCommands() / (double) Math.max(1, load.requests());
    }

    /** Serialized session bytes each node held at the peak of the run (average over nodes). */
    public double sessionBytesPerNode() {
        return meter.peakSessionBytesPerNode();
    }

    /** Heap in use per node at the peak (MB). */
    public double heapMbPerNode() {
        return meter.peakHeapBytesPerNode() / (1024.0 * 1024.0);
    }

    /** Whether CPU was metered (rounds with CPU figures). */
    public boolean hasCpu() {
        return !rounds.isEmpty() && rounds.stream().allMatch(r -> r.cpu().totalSeconds() > 0);
    }

    /** The cluster's CPU per request (µs), the median of the rounds; NaN without rounds. */
    public double cpuMicrosPerRequest() {
        return Spread.of(rounds, RoundResult::cpuMicrosPerRequest).median();
    }

    /** Median, min and max over the rounds of a round's figure. */
    public Spread spread(ToDoubleFunction<RoundResult> figure) {
        return Spread.of(rounds, figure);
    }

    /** Median CPU per request (µs) of each role: nodes, balancer, redis, load. */
    public Map<String, Double> cpuMicrosPerRequestByRole() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String role : List.of("nodes", "balancer", "redis", "load")) {
            out.put(role, Spread.of(rounds, r -> r.cpuMicrosPerRequest(role)).median());
        }
        return out;
    }

    /** Median, min and max of a figure over rounds. */
    public record Spread(double median, double min, double max) {
        static Spread of(List<RoundResult> rounds, ToDoubleFunction<RoundResult> figure) {
            return of(rounds.stream().mapToDouble(figure).toArray());
        }

        /** The spread of these values (NaN for none). */
        public static Spread of(double... values) {
            double[] v = values.clone();
            java.util.Arrays.sort(v);
            if (v.length == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN);
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(median, v[0], v[v.length - 1]);
        }

        /** Whether two spreads overlap: a difference between them is within the noise of the runs. */
        public boolean overlaps(Spread other) {
            return min <= other.max && other.min <= max;
        }
    }

    private static LoadSummary load(List<RoundResult> rounds) {
        List<LoadSummary> loads = rounds.stream().map(RoundResult::load).toList();
        Map<String, Long> perNode = new LinkedHashMap<>();
        List<String> errorSamples = new ArrayList<>();
        List<String> continuity = new ArrayList<>();
        for (LoadSummary l : loads) {
            l.perNode().forEach((node, n) -> perNode.merge(node, n, Long::sum));
            l.errorSamples().stream().limit(5L - errorSamples.size()).forEach(errorSamples::add);
            l.continuitySamples().stream().limit(5L - continuity.size()).forEach(continuity::add);
        }
        return new LoadSummary(
                sum(loads, LoadSummary::requests),
                sum(loads, LoadSummary::writes),
                sum(loads, LoadSummary::ok),
                sum(loads, LoadSummary::misses),
                sum(loads, LoadSummary::stale),
                sum(loads, LoadSummary::errors),
                sum(loads, LoadSummary::retries),
                loads.stream().mapToDouble(LoadSummary::seconds).sum(),
                Spread.of(rounds, r -> r.load().throughput()).median(),
                Spread.of(rounds, r -> r.load().p50Ms()).median(),
                Spread.of(rounds, r -> r.load().p90Ms()).median(),
                Spread.of(rounds, r -> r.load().p99Ms()).median(),
                most(loads, LoadSummary::maxMs),
                perNode,
                errorSamples,
                continuity);
    }

    /** Counts add up over the rounds; peaks are the highest round's (0 at the least). */
    private static ClusterMeter.Delta meter(List<RoundResult> rounds) {
        List<ClusterMeter.Delta> m = rounds.stream().map(RoundResult::meter).toList();
        return new ClusterMeter.Delta(
                sum(m, ClusterMeter.Delta::sentBytes),
                sum(m, ClusterMeter.Delta::sentMessages),
                sum(m, ClusterMeter.Delta::receivedBytes),
                sum(m, ClusterMeter.Delta::receivedMessages),
                sum(m, ClusterMeter.Delta::storeWrittenBytes),
                sum(m, ClusterMeter.Delta::redisInputBytes),
                sum(m, ClusterMeter.Delta::redisOutputBytes),
                sum(m, ClusterMeter.Delta::redisCommands),
                (long) most(m, ClusterMeter.Delta::redisMemoryGrowth),
                most(m, ClusterMeter.Delta::peakSessionBytesPerNode),
                most(m, ClusterMeter.Delta::peakSessionsPerNode),
                most(m, ClusterMeter.Delta::peakHeapBytesPerNode));
    }

    private static <T> long sum(List<T> rounds, ToLongFunction<T> count) {
        return rounds.stream().mapToLong(count).sum();
    }

    private static <T> double most(List<T> rounds, ToDoubleFunction<T> peak) {
        return Math.max(0, rounds.stream().mapToDouble(peak).max().orElse(0));
    }
}
