package org.sessioncluster.ctl.scenario;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;
import org.sessioncluster.load.meter.NodeSample;

/**
 * The nodes' heap during a long run. Heap in use is sampled twice a second from {@code /_node/metrics} for
 * the peak. Whether the heap grows is judged on the live heap instead ({@link LiveHeapProbe}: the bytes of
 * the objects still referenced, after a full collection, every few seconds per node: 10 s in a soak), because heap in use also
 * holds garbage that waits for an old-generation collection and rises for minutes without any leak. A
 * node's live samples are taken from {@link #WARM_UP_INTERVALS} intervals after it (re)started (class loading, JIT,
 * sessions arriving) until it was killed; stretches of at least three samples are judged together by one
 * least-squares slope ({@link #pooledSlope}), the node's trend in MB per minute.
 */
final class HeapWatch implements AutoCloseable {
    /** A node's warm-up after a (re)start, in live-heap intervals: 15 s when it is measured every 10 s. */
    static final double WARM_UP_INTERVALS = 1.5;

    private static final double MB = 1024.0 * 1024.0;

    private record Sample(double atSeconds, long heapBytes) {}

    /**
     * One node's figures: peak heap in use, the last live heap measured, how many live samples were judged
     * (those after warm-up in stretches of at least three), and the live heap's trend in MB/min — one slope
     * for all of the node's life stretches together (each stretch around its own mean, so a restart's
     * fresh heap is no drop), NaN when no stretch was long enough.
     */
    record NodeHeap(double peakMb, double lastLiveMb, int judgedSamples, double trendMbPerMinute) {}

    private final Map<String, String> urls;
    private final ToLongFunction<String> pidOf;
    private final DoubleSupplier clock;
    private final double warmUpSeconds;
    private final Map<String, List<Sample>> inUse = new ConcurrentHashMap<>();
    private final Map<String, List<Sample>> live = new ConcurrentHashMap<>();
    /** Per node, the times a life stretch began (start of the run, each restart) and ended (each kill). */
    private final Map<String, List<double[]>> lives = new ConcurrentHashMap<>();
    /** Why the live heap could not be measured (no jcmd, another user's process), or null. */
    private volatile String liveProblem;

    private final ScheduledExecutorService sampler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "heap-watch");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param urls  node name → base URL (a restarted node keeps its address)
     * @param pidOf node name → the process id of its current JVM (a restarted node has a new one)
     * @param clock seconds since the run began
     * @param liveEverySeconds how often each node's live heap is measured
     */
    HeapWatch(Map<String, String> urls, ToLongFunction<String> pidOf, DoubleSupplier clock, double liveEverySeconds) {
        this(urls, pidOf, clock, liveEverySeconds, liveEverySeconds * WARM_UP_INTERVALS);
    }

    /** With a warm-up of its own. */
    HeapWatch(
            Map<String, String> urls,
            ToLongFunction<String> pidOf,
            DoubleSupplier clock,
            double liveEverySeconds,
            double warmUpSeconds) {
        this.warmUpSeconds = warmUpSeconds;
        this.urls = new LinkedHashMap<>(urls);
        this.pidOf = pidOf;
        this.clock = clock;
        urls.keySet().forEach(n -> {
            inUse.put(n, new CopyOnWriteArrayList<>());
            live.put(n, new CopyOnWriteArrayList<>());
            lives.put(n, new CopyOnWriteArrayList<>(List.<double[]>of(new double[] {0, Double.MAX_VALUE})));
        });
        sampler.scheduleAtFixedRate(this::sampleInUse, 0, 500, TimeUnit.MILLISECONDS);
        long every = Math.round(liveEverySeconds * 1000);
        // with a fixed delay, not rate: a slow jcmd must not be followed by a burst of catch-up samples
        sampler.scheduleWithFixedDelay(this::sampleLive, every, every, TimeUnit.MILLISECONDS);
    }

    private void sampleInUse() {
        for (Map.Entry<String, String> n : urls.entrySet()) {
            try {
                long heap = NodeSample.scrape(n.getValue()).heapBytes();
                inUse.get(n.getKey()).add(new Sample(clock.getAsDouble(), heap));
            } catch (IOException e) {
                // a killed node has no heap; the next sample will tell when it is back
            }
        }
    }

    private void sampleLive() {
        for (String node : urls.keySet()) {
            try {
                long bytes = LiveHeapProbe.liveBytes(pidOf.applyAsLong(node));
                live.get(node).add(new Sample(clock.getAsDouble(), bytes));
            } catch (IOException | RuntimeException e) {
                // killed, or just restarted and not attachable yet: the next round tries again
                if (live.get(node).isEmpty()) {
                    liveProblem = e.getMessage();
                }
            }
        }
    }

    /** The node was killed now: its current life stretch ends. */
    void killed(String node) {
        List<double[]> l = lives.get(node);
        l.get(l.size() - 1)[1] = clock.getAsDouble();
    }

    /** The node is serving again after a restart: a new life stretch begins. */
    void restarted(String node) {
        lives.get(node).add(new double[] {clock.getAsDouble(), Double.MAX_VALUE});
    }

    /** Why no live heap was measured for some node, or null when every node was measured. */
    String liveProblem() {
        return live.values().stream().anyMatch(List::isEmpty) ? liveProblem : null;
    }

    Map<String, NodeHeap> result() {
        Map<String, NodeHeap> out = new LinkedHashMap<>();
        for (String node : urls.keySet()) {
            double peak =
                    inUse.get(node).stream().mapToLong(Sample::heapBytes).max().orElse(0) / MB;
            List<Sample> liveSamples = List.copyOf(live.get(node));
            double lastLive = liveSamples.isEmpty()
                    ? Double.NaN
                    : liveSamples.get(liveSamples.size() - 1).heapBytes() / MB;
            List<List<double[]>> stretches = new ArrayList<>();
            for (double[] life : lives.get(node)) {
                double from = life[0] + warmUpSeconds;
                double to = Math.min(life[1], clock.getAsDouble());
                List<double[]> points = liveSamples.stream()
                        .filter(s -> s.atSeconds() >= from && s.atSeconds() <= to)
                        .map(s -> new double[] {s.atSeconds(), s.heapBytes()})
                        .toList();
                if (points.size() >= 3) {
                    stretches.add(points);
                }
            }
            int judged = stretches.stream().mapToInt(List::size).sum();
            double trend = stretches.isEmpty() ? Double.NaN : pooledSlope(stretches) * 60 / MB;
            out.put(node, new NodeHeap(round1(peak), round1(lastLive), judged, trend));
        }
        return out;
    }

    private static double round1(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10) / 10.0;
    }

    /**
     * Least-squares slope of y over x shared by several stretches, each around its own means: the growth
     * within a life, whatever level each life started at. Longer stretches weigh more than short ones, so
     * one noisy short stretch does not decide.
     */
    static double pooledSlope(List<List<double[]>> stretches) {
        double num = 0;
        double den = 0;
        for (List<double[]> points : stretches) {
            double n = points.size();
            double mx = points.stream().mapToDouble(p -> p[0]).sum() / n;
            double my = points.stream().mapToDouble(p -> p[1]).sum() / n;
            for (double[] p : points) {
                num += (p[0] - mx) * (p[1] - my);
                den += (p[0] - mx) * (p[0] - mx);
            }
        }
        return den == 0 ? 0 : num / den;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
