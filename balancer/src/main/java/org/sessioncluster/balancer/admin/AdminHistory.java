package org.sessioncluster.balancer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.proxy.ProxyMetrics;
import org.sessioncluster.contract.NodeStatus;

/**
 * What an operator watches over time: once a second, per node, requests/s, errors/s, the p99 of that second's
 * answers and the bytes/s it replicated to its peers, for the last 5 minutes; and what happened meanwhile (a node
 * down or back, registered or gone, drained, enabled, disabled, weighed, switched), so the dashboard can mark it.
 */
final class AdminHistory implements AutoCloseable {
    static final int SECONDS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One node's counters at the last tick, to take the next tick's differences from. */
    private static final class Last {
        long requests;
        long errors;
        long[] latency;
        Long replicated;
        boolean healthy;
        boolean registered;
    }

    /** One tick: per node {requests/s, errors/s, p99 ms (-1: no answers), replicated bytes/s (-1: not known)}. */
    private record Tick(long epochSecond, Map<String, double[]> nodes) {}

    private record Event(long epochMillis, String what) {}

    private final BackendPool pool;
    private final Function<String, NodeStatus> nodeStatus;
    private final Map<String, Last> last = new HashMap<>();
    private final ArrayDeque<Tick> ticks = new ArrayDeque<>();
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "balancer-history");
        t.setDaemon(true);
        return t;
    });

    /** @param nodeStatus what a node last said at /_node/status (null: nothing) */
    AdminHistory(BackendPool pool, Function<String, NodeStatus> nodeStatus) {
        this.pool = pool;
        this.nodeStatus = nodeStatus;
    }

    void start() {
        timer.scheduleAtFixedRate(this::tickQuietly, 1, 1, TimeUnit.SECONDS);
    }

    /** Something an operator did or the balancer saw, marked at this moment. */
    synchronized void event(String what) {
        events.addLast(new Event(System.currentTimeMillis(), what));
        while (!events.isEmpty() && events.peekFirst().epochMillis() < System.currentTimeMillis() - SECONDS * 1000L) {
            events.removeFirst();
        }
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // never let the schedule die: a scheduled task that throws is cancelled
        }
    }

    synchronized void tick() {
        Map<String, double[]> now = new LinkedHashMap<>();
        for (Backend b : pool.all()) {
            Last before = last.get(b.name());
            long requests = b.requests().sum();
            long errors = b.errors().sum();
            long[] latency = b.latencyCounts();
            NodeStatus status = nodeStatus.apply(b.name());
            Long replicated = status != null ? status.clusterBytesSent() : null;
            if (before == null) {
                if (b.registered()) {
                    event(b.name() + " registered");
                }
                before = new Last();
                before.requests = requests;
                before.errors = errors;
                before.latency = latency;
                before.healthy = b.healthy();
                before.registered = b.registered();
            } else {
                if (before.registered != b.registered()) {
                    event(b.name() + (b.registered() ? " registered" : " gone"));
                }
                if (before.healthy != b.healthy()) {
                    event(b.name() + (b.healthy() ? " up again" : " down"));
                }
            }
            double p99 = p99Ms(before.latency, latency);
            double sent = replicated != null && before.replicated != null ? replicated - before.replicated : -1;
            now.put(b.name(), new double[] {requests - before.requests, errors - before.errors, p99, sent});
            before.requests = requests;
            before.errors = errors;
            before.latency = latency;
            before.replicated = replicated;
            before.healthy = b.healthy();
            before.registered = b.registered();
            last.put(b.name(), before);
        }
        ticks.addLast(new Tick(System.currentTimeMillis() / 1000, now));
        while (ticks.size() > SECONDS) {
            ticks.removeFirst();
        }
    }

    /** The upper bound of the bucket the 99th percentile of this second's answers falls in; -1 with none. */
    static double p99Ms(long[] before, long[] now) {
        long total = 0;
        long[] delta = new long[now.length];
        for (int i = 0; i < now.length; i++) {
            delta[i] = now[i] - (before != null && i < before.length ? before[i] : 0);
            total += delta[i];
        }
        if (total == 0) {
            return -1;
        }
        long seen = 0;
        for (int i = 0; i < delta.length; i++) {
            seen += delta[i];
            if (seen * 100 >= total * 99) {
                return i < ProxyMetrics.BUCKETS_MS.length
                        ? ProxyMetrics.BUCKETS_MS[i]
                        : ProxyMetrics.BUCKETS_MS[ProxyMetrics.BUCKETS_MS.length - 1];
            }
        }
        return ProxyMetrics.BUCKETS_MS[ProxyMetrics.BUCKETS_MS.length - 1];
    }

    /**
     * {@code {"seconds": [epoch s...], "nodes": {name: {"requestsPerSecond": [...], "errorsPerSecond": [...],
     * "p99Ms": [...], "replicatedBytesPerSecond": [...]}}, "events": [{"at": epoch ms, "what": "..."}]}}; a node
     * absent at a tick has null there.
     */
    synchronized ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode seconds = root.putArray("seconds");
        ObjectNode nodes = root.putObject("nodes");
        String[] series = {"requestsPerSecond", "errorsPerSecond", "p99Ms", "replicatedBytesPerSecond"};
        for (Tick t : ticks) {
            t.nodes().keySet().forEach(name -> {
                if (!nodes.has(name)) {
                    ObjectNode n = nodes.putObject(name);
                    for (String s : series) {
                        ArrayNode values = n.putArray(s);
                        for (int i = 0; i < seconds.size(); i++) {
                            values.addNull();
                        }
                    }
                }
            });
            seconds.add(t.epochSecond());
            nodes.fields().forEachRemaining(e -> {
                double[] v = t.nodes().get(e.getKey());
                for (int i = 0; i < series.length; i++) {
                    ArrayNode values = (ArrayNode) e.getValue().get(series[i]);
                    if (v == null || v[i] < 0) {
                        values.addNull();
                    } else {
                        values.add(v[i]);
                    }
                }
            });
        }
        ArrayNode list = root.putArray("events");
        for (Event e : events) {
            list.addObject().put("at", e.epochMillis()).put("what", e.what());
        }
        return root;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
