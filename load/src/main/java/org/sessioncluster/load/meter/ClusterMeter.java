package org.sessioncluster.load.meter;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Meters a run: node and Redis figures at the start and the end, and, while the load runs, the peak of
 * the session bytes the nodes hold (sessions come and go with each visit, so the end is not the peak).
 */
public final class ClusterMeter implements AutoCloseable {
    private final Map<String, String> nodes;
    private final List<String> redisAddresses;
    private final RespConnection.Access redisAccess;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meter");
        t.setDaemon(true);
        return t;
    });
    private Snapshot start;
    private volatile double peakSessionBytesPerNode;
    private volatile double peakSessionsPerNode;
    private volatile double peakHeapPerNode;
    private volatile long peakRedisMemory;

    /** A moment's figures for every node (by name) and for Redis (null when there is none). */
    public record Snapshot(Map<String, NodeSample> nodes, RedisSample redis) {}

    /** The difference between start and end, plus the peaks seen in between. */
    public record Delta(
            long sentBytes,
            long sentMessages,
            long receivedBytes,
            long receivedMessages,
            long storeWrittenBytes,
            long redisInputBytes,
            long redisOutputBytes,
            long redisCommands,
            long redisMemoryGrowth,
            double peakSessionBytesPerNode,
            double peakSessionsPerNode,
            double peakHeapBytesPerNode) {}

    /**
     * @param nodes        node name → base URL
     * @param redisAddress redis://host:port (or rediss://), or null
     * @param redisAccess  how to log in to it
     */
    public ClusterMeter(Map<String, String> nodes, String redisAddress, RespConnection.Access redisAccess) {
        this(nodes, redisAddress == null || redisAddress.isBlank() ? List.of() : List.of(redisAddress), redisAccess);
    }

    /**
     * @param redisAddresses every Redis whose figures count (the primaries of a Redis Cluster, summed), or none
     */
    public ClusterMeter(Map<String, String> nodes, List<String> redisAddresses, RespConnection.Access redisAccess) {
        this.nodes = new TreeMap<>(nodes);
        this.redisAddresses = List.copyOf(redisAddresses);
        this.redisAccess = redisAccess;
    }

    public Snapshot snapshot() throws IOException {
        Map<String, NodeSample> samples = new TreeMap<>();
        for (Map.Entry<String, String> n : nodes.entrySet()) {
            try {
                samples.put(n.getKey(), NodeSample.scrape(n.getValue()));
            } catch (IOException e) {
                // a dead node has no figures; the others still count
            }
        }
        RedisSample redis = null;
        for (String address : redisAddresses) {
            RedisSample one = RedisSample.info(address, redisAccess);
            redis = redis == null ? one : redis.plus(one);
        }
        return new Snapshot(samples, redis);
    }

    public void start() throws IOException {
        start = snapshot();
        sampler.scheduleAtFixedRate(this::samplePeaks, 250, 500, TimeUnit.MILLISECONDS);
    }

    private void samplePeaks() {
        try {
            Snapshot s = snapshot();
            List<NodeSample> list = List.copyOf(s.nodes().values());
            if (!list.isEmpty()) {
                peakSessionBytesPerNode = Math.max(
                        peakSessionBytesPerNode,
                        list.stream()
                                .mapToLong(NodeSample::sessionBytes)
                                .average()
                                .orElse(0));
                peakSessionsPerNode = Math.max(
                        peakSessionsPerNode,
                        list.stream().mapToLong(NodeSample::sessions).average().orElse(0));
                peakHeapPerNode = Math.max(
                        peakHeapPerNode,
                        list.stream().mapToLong(NodeSample::heapBytes).average().orElse(0));
            }
            if (s.redis() != null) {
                peakRedisMemory = Math.max(peakRedisMemory, s.redis().usedMemory());
            }
        } catch (IOException | RuntimeException e) {
            // a missed sample lowers no peak
        }
    }

    public Delta stop() throws IOException {
        sampler.shutdownNow();
        samplePeaks();
        Snapshot end = snapshot();
        long sent = 0;
        long sentMsgs = 0;
        long received = 0;
        long receivedMsgs = 0;
        long stored = 0;
        for (Map.Entry<String, NodeSample> e : end.nodes().entrySet()) {
            NodeSample before = start.nodes().get(e.getKey());
            if (before == null) {
                continue;
            }
            NodeSample after = e.getValue();
            sent += after.sentBytes() - before.sentBytes();
            sentMsgs += after.sentMessages() - before.sentMessages();
            received += after.receivedBytes() - before.receivedBytes();
            receivedMsgs += after.receivedMessages() - before.receivedMessages();
            stored += after.storeWrittenBytes() - before.storeWrittenBytes();
        }
        RedisSample r0 = start.redis();
        RedisSample r1 = end.redis();
        boolean redis = r0 != null && r1 != null;
        return new Delta(
                sent,
                sentMsgs,
                received,
                receivedMsgs,
                stored,
                redis ? r1.netInputBytes() - r0.netInputBytes() : 0,
                redis ? r1.netOutputBytes() - r0.netOutputBytes() : 0,
                redis ? r1.commands() - r0.commands() : 0,
                redis ? Math.max(0, peakRedisMemory - r0.usedMemory()) : 0,
                peakSessionBytesPerNode,
                peakSessionsPerNode,
                peakHeapPerNode);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
