package org.sessioncluster.load.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
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
        long requests = 0;
        long writes = 0;
        long ok = 0;
        long misses = 0;
        long stale = 0;
        long errors = 0;
        long retries = 0;
        double seconds = 0;
        double max = 0;
        Map<String, Long> perNode = new LinkedHashMap<>();
        List<String> errorSamples = new ArrayList<>();
        List<String> continuity = new ArrayList<>();
        for (RoundResult r : rounds) {
            LoadSummary l = r.load();
            requests += l.requests();
            writes += l.writes();
            ok += l.ok();
            misses += l.misses();
            stale += l.stale();
            errors += l.errors();
            retries += l.retries();
            seconds += l.seconds();
            max = Math.max(max, l.maxMs());
            l.perNode().forEach((node, n) -> perNode.merge(node, n, Long::sum));
            l.errorSamples().stream().limit(5L - errorSamples.size()).forEach(errorSamples::add);
            l.continuitySamples().stream().limit(5L - continuity.size()).forEach(continuity::add);
        }
        return new LoadSummary(
                requests,
                writes,
                ok,
                misses,
                stale,
                errors,
                retries,
                seconds,
                Spread.of(rounds, r -> r.load().throughput()).median(),
                Spread.of(rounds, r -> r.load().p50Ms()).median(),
                Spread.of(rounds, r -> r.load().p90Ms()).median(),
                Spread.of(rounds, r -> r.load().p99Ms()).median(),
                max,
                perNode,
                errorSamples,
                continuity);
    }

    private static ClusterMeter.Delta meter(List<RoundResult> rounds) {
        long sent = 0;
        long sentMessages = 0;
        long received = 0;
        long receivedMessages = 0;
        long stored = 0;
        long redisIn = 0;
        long redisOut = 0;
        long commands = 0;
        long redisGrowth = 0;
        double sessionBytes = 0;
        double sessions = 0;
        double heap = 0;
        for (RoundResult r : rounds) {
            ClusterMeter.Delta m = r.meter();
            sent += m.sentBytes();
            sentMessages += m.sentMessages();
            received += m.receivedBytes();
            receivedMessages += m.receivedMessages();
            stored += m.storeWrittenBytes();
            redisIn += m.redisInputBytes();
            redisOut += m.redisOutputBytes();
            commands += m.redisCommands();
            redisGrowth = Math.max(redisGrowth, m.redisMemoryGrowth());
            sessionBytes = Math.max(sessionBytes, m.peakSessionBytesPerNode());
            sessions = Math.max(sessions, m.peakSessionsPerNode());
            heap = Math.max(heap, m.peakHeapBytesPerNode());
        }
        return new ClusterMeter.Delta(
                sent,
                sentMessages,
                received,
                receivedMessages,
                stored,
                redisIn,
                redisOut,
                commands,
                redisGrowth,
                sessionBytes,
                sessions,
                heap);
    }
}
