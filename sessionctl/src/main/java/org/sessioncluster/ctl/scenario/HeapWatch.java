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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.sessioncluster.load.meter.NodeSample;

/**
 * The nodes' heap during a long run: sampled twice a second from {@code /_node/metrics}, the peak per node,
 * and whether it grows. Heap in use rises between collections and drops at each, so growth is judged on the
 * floor: the lowest sample of each 10 s window. A node's floors are taken from {@link #WARM_UP_SECONDS} after
 * it (re)started (class loading, JIT, sessions arriving) until it was killed; a straight line is fitted to
 * each such stretch of at least three windows, and its slope is the node's trend in MB per minute.
 */
final class HeapWatch implements AutoCloseable {
    static final double WINDOW_SECONDS = 10;
    static final double WARM_UP_SECONDS = 15;
    private static final double MB = 1024.0 * 1024.0;

    private record Sample(double atSeconds, long heapBytes) {}

    /** One node's figures: peak heap, and the trend of each life stretch long enough to judge (MB/min). */
    record NodeHeap(double peakMb, List<Double> trendsMbPerMinute) {
        /** The steepest trend, or NaN when no stretch was long enough. */
        double worstTrend() {
            return trendsMbPerMinute.stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(Double.NaN);
        }
    }

    private final Map<String, String> urls;
    private final DoubleSupplier clock;
    private final Map<String, List<Sample>> samples = new ConcurrentHashMap<>();
    /** Per node, the times a life stretch began (start of the run, each restart) and ended (each kill). */
    private final Map<String, List<double[]>> lives = new ConcurrentHashMap<>();

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "heap-watch");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledFuture<?> task;

    /**
     * @param urls  node name → base URL (a restarted node keeps its address)
     * @param clock seconds since the run began
     */
    HeapWatch(Map<String, String> urls, DoubleSupplier clock) {
        this.urls = new LinkedHashMap<>(urls);
        this.clock = clock;
        urls.keySet().forEach(n -> {
            samples.put(n, new CopyOnWriteArrayList<>());
            lives.put(n, new CopyOnWriteArrayList<>(List.<double[]>of(new double[] {0, Double.MAX_VALUE})));
        });
        task = sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        for (Map.Entry<String, String> n : urls.entrySet()) {
            try {
                long heap = NodeSample.scrape(n.getValue()).heapBytes();
                samples.get(n.getKey()).add(new Sample(clock.getAsDouble(), heap));
            } catch (IOException e) {
                // a killed node has no heap; the next sample will tell when it is back
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

    Map<String, NodeHeap> result() {
        Map<String, NodeHeap> out = new LinkedHashMap<>();
        for (String node : urls.keySet()) {
            List<Sample> all = List.copyOf(samples.get(node));
            double peak = all.stream().mapToLong(Sample::heapBytes).max().orElse(0) / MB;
            List<Double> trends = new ArrayList<>();
            for (double[] life : lives.get(node)) {
                double from = life[0] + WARM_UP_SECONDS;
                List<double[]> floors = floors(all, from, Math.min(life[1], clock.getAsDouble()));
                if (floors.size() >= 3) {
                    trends.add(slope(floors) * 60 / MB);
                }
            }
            out.put(node, new NodeHeap(Math.round(peak * 10) / 10.0, trends));
        }
        return out;
    }

    /** The lowest sample of each whole window between from and to: (window middle, bytes). */
    private static List<double[]> floors(List<Sample> all, double from, double to) {
        List<double[]> floors = new ArrayList<>();
        for (double start = from; start + WINDOW_SECONDS <= to; start += WINDOW_SECONDS) {
            double s = start;
            all.stream()
                    .filter(x -> x.atSeconds() >= s && x.atSeconds() < s + WINDOW_SECONDS)
                    .mapToLong(Sample::heapBytes)
                    .min()
                    .ifPresent(min -> floors.add(new double[] {s + WINDOW_SECONDS / 2, min}));
        }
        return floors;
    }

    /** Least-squares slope of y over x. */
    static double slope(List<double[]> points) {
        double n = points.size();
        double mx = points.stream().mapToDouble(p -> p[0]).sum() / n;
        double my = points.stream().mapToDouble(p -> p[1]).sum() / n;
        double num = 0;
        double den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    @Override
    public void close() {
        task.cancel(false);
        sampler.shutdownNow();
    }
}
