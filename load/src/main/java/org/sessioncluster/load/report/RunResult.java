package org.sessioncluster.load.report;

import org.sessioncluster.load.LoadSummary;
import org.sessioncluster.load.meter.ClusterMeter;

/**
 * One cell of the comparison: a scenario (session mode + balancer policy) on N nodes, what the load saw and
 * what sharing the sessions cost.
 *
 * @param scenario label, e.g. "delta" or "local+sticky"
 * @param nodes    node count
 * @param load     the load generator's summary
 * @param meter    what the nodes, the channel, Redis and the store counted
 */
public record RunResult(String scenario, int nodes, LoadSummary load, ClusterMeter.Delta meter) {

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

    /** Serialized session bytes each node held at the peak of the run (average over nodes). */
    public double sessionBytesPerNode() {
        return meter.peakSessionBytesPerNode();
    }

    /** Heap in use per node at the peak (MB). */
    public double heapMbPerNode() {
        return meter.peakHeapBytesPerNode() / (1024.0 * 1024.0);
    }
}
