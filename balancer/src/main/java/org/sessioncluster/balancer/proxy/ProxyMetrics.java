package org.sessioncluster.balancer.proxy;

import java.util.concurrent.atomic.LongAdder;

/** What the proxy did: requests, errors it answered itself, retries, and a latency histogram. */
public final class ProxyMetrics {
    /** Upper bounds of the latency buckets, in milliseconds. */
    public static final double[] BUCKETS_MS = {0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000};

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder noNode = new LongAdder();
    private final LongAdder[] buckets = new LongAdder[BUCKETS_MS.length + 1];
    private final LongAdder latencyNanos = new LongAdder();

    public ProxyMetrics() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void recordRequest(long nanos) {
        requests.increment();
        latencyNanos.add(nanos);
        buckets[bucketOf(nanos)].increment();
    }

    /** The bucket a duration falls in. */
    static int bucketOf(long nanos) {
        double ms = nanos / 1e6;
        int i = 0;
        while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]) {
            i++;
        }
        return i;
    }

    void recordError() {
        errors.increment();
    }

    void recordRetry() {
        retries.increment();
    }

    void recordNoNode() {
        noNode.increment();
    }

    public long requests() {
        return requests.sum();
    }

    /** Requests the balancer itself failed (502/503/504), whatever the node said. */
    public long errors() {
        return errors.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long noNode() {
        return noNode.sum();
    }

    public long latencyNanosTotal() {
        return latencyNanos.sum();
    }

    /** Count of requests in bucket i (not cumulative); the last bucket is everything slower. */
    public long bucket(int i) {
        return buckets[i].sum();
    }
}
