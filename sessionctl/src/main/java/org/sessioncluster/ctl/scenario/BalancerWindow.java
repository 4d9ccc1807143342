package org.sessioncluster.ctl.scenario;

import java.util.Collection;
import java.util.List;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.ctl.cluster.BalancerAdmin;

/**
 * What the balancer saw for a set of nodes between two moments: requests, errors (5xx answers and
 * failures), and the 99th percentile answer time from its per-node latency buckets — the figures a canary
 * step is judged by.
 */
record BalancerWindow(long requests, long errors, long[] latency, double[] boundsMs) {

    /** The counters now (summed over these nodes). */
    static BalancerWindow now(BalancerAdmin admin, Collection<String> nodes) {
        BalancerStatus status =
                admin.status().orElseThrow(() -> new IllegalStateException("the balancer does not answer"));
        double[] bounds = status.latencyBucketsMs().stream()
                .mapToDouble(Double::doubleValue)
                .toArray();
        long requests = 0;
        long errors = 0;
        long[] latency = new long[bounds.length + 1];
        for (BalancerStatus.Backend n : status.nodes()) {
            if (nodes.contains(n.name())) {
                requests += n.requests();
                errors += n.errors();
                List<Long> counts = n.latencyCounts();
                for (int i = 0; i < latency.length && i < counts.size(); i++) {
                    latency[i] += counts.get(i);
                }
            }
        }
        return new BalancerWindow(requests, errors, latency, bounds);
    }

    /** This window minus an earlier one. */
    BalancerWindow since(BalancerWindow start) {
        long[] d = new long[latency.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = latency[i] - start.latency[i];
        }
        long n = requests - start.requests;
        // the two counters are read a moment apart (errors are counted when the answer comes): never more errors than
        // requests
        return new BalancerWindow(n, Math.min(n, errors - start.errors), d, boundsMs);
    }

    double errorRate() {
        return requests == 0 ? 0 : errors / (double) requests;
    }

    /** Upper bound of the bucket holding the 99th percentile answer (infinity past the last bound; 0 without answers). */
    double p99Ms() {
        long total = 0;
        for (long c : latency) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        long seen = 0;
        for (int i = 0; i < latency.length; i++) {
            seen += latency[i];
            if (seen >= Math.ceil(total * 0.99)) {
                return i < boundsMs.length ? boundsMs[i] : Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
