package org.sessioncluster.balancer.backend;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** One node as the balancer sees it: where it is, whether it may get traffic, and what it got. */
public final class Backend {
    /** What an operator said about the node. */
    public enum AdminState {
        /** gets new sessions and its sticky ones */
        ENABLED,
        /** gets no new sessions, keeps serving its sticky ones */
        DRAINED,
        /** gets nothing */
        DISABLED
    }

    private final String name;
    private volatile String url;
    private volatile java.net.InetSocketAddress address;
    private volatile int weight;
    private volatile AdminState adminState = AdminState.ENABLED;
    private volatile boolean registered;
    private volatile long lastRenewNanos;

    private volatile boolean healthy = true;
    private int failuresInARow;
    private int successesInARow;
    private volatile String lastFailure = "";

    private final AtomicInteger active = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    /** Answer times, in the buckets of {@code ProxyMetrics.BUCKETS_MS} (the last one: slower than all). */
    private final LongAdder[] latency;

    Backend(String name, String url, int weight, int latencyBuckets) {
        this.name = name;
        this.weight = weight;
        this.latency = new LongAdder[latencyBuckets];
        for (int i = 0; i < latencyBuckets; i++) {
            latency[i] = new LongAdder();
        }
        if (url != null) {
            setUrl(url);
        }
    }

    public String name() {
        return name;
    }

    /** Where the node is; null for a name an operator reserved before the node registered. */
    public String url() {
        return url;
    }

    /** The node's address, resolved once when it registers. */
    public java.net.InetSocketAddress address() {
        return address;
    }

    void setUrl(String url) {
        URI uri = URI.create(url);
        this.url = url;
        this.address = new java.net.InetSocketAddress(
                uri.getHost(), uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80);
    }

    public int weight() {
        return weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
    }

    public AdminState adminState() {
        return adminState;
    }

    public void setAdminState(AdminState state) {
        this.adminState = state;
    }

    public boolean registered() {
        return registered;
    }

    void setRegistered(boolean registered, long nowNanos) {
        this.registered = registered;
        this.lastRenewNanos = nowNanos;
    }

    long lastRenewNanos() {
        return lastRenewNanos;
    }

    public boolean healthy() {
        return healthy;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** May get requests at all (sticky ones included). */
    public boolean routable() {
        return registered && healthy && adminState != AdminState.DISABLED;
    }

    /** May get requests that are not bound to it (new sessions, non-sticky policies). */
    public boolean takesNewSessions() {
        return routable() && adminState == AdminState.ENABLED && weight > 0;
    }

    /**
     * Records a health check result; returns the new health when it changed, else null.
     *
     * @param fall failures in a row that take a healthy node down
     * @param rise successes in a row that bring a down node back
     */
    public synchronized Boolean recordCheck(boolean ok, String failure, int fall, int rise) {
        if (ok) {
            failuresInARow = 0;
            successesInARow++;
            if (!healthy && successesInARow >= rise) {
                healthy = true;
                return Boolean.TRUE;
            }
        } else {
            successesInARow = 0;
            failuresInARow++;
            lastFailure = failure;
            if (healthy && failuresInARow >= fall) {
                healthy = false;
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** Passive ejection: a request could not reach the node, so it is down until it passes the rise count. */
    public synchronized boolean eject(String failure) {
        lastFailure = failure;
        successesInARow = 0;
        boolean was = healthy;
        healthy = false;
        return was;
    }

    public AtomicInteger active() {
        return active;
    }

    public LongAdder requests() {
        return requests;
    }

    public LongAdder errors() {
        return errors;
    }

    public void recordLatency(int bucket) {
        latency[bucket].increment();
    }

    /** Answers per latency bucket so far (not cumulative). */
    public long[] latencyCounts() {
        long[] counts = new long[latency.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = latency[i].sum();
        }
        return counts;
    }
}
