package org.sessioncluster.contract;

import java.util.List;

/**
 * The balancer's state at {@code GET /status} of its admin API: written by the balancer, read by
 * {@code sessionctl status}, by rollouts (weights, connections in flight) and by the dashboard.
 *
 * @param policy           the balancing policy
 * @param warmedUp         whether the warm-up of the data path has ended ({@code balancer.warmup.requests}): it
 *                         begins at the balancer's start or once the configured nodes have registered, and a load
 *                         measured before it ends meets code the JIT has not compiled yet
 * @param requests         requests proxied since start
 * @param errors           of them, answered with an error by the balancer
 * @param retries          requests sent again to another node
 * @param latencyBucketsMs the upper bounds of the latency histogram's buckets
 * @param nodes            each node the balancer knows
 */
public record BalancerStatus(
        String policy,
        boolean warmedUp,
        long requests,
        long errors,
        long retries,
        List<Double> latencyBucketsMs,
        List<Backend> nodes) {

    /**
     * One node as the balancer sees it.
     *
     * @param name           its name
     * @param url            where it serves
     * @param registered     whether it came through the registry (not the config)
     * @param healthy        whether its health checks pass
     * @param state          enabled, drained or disabled
     * @param weight         its weight
     * @param routable       whether new requests may go to it now
     * @param active         requests in flight to it
     * @param requests       requests sent to it since start
     * @param errors         of them, failed
     * @param lastFailure    the last failure, in words, or empty
     * @param latencyCounts  requests per latency bucket ({@link BalancerStatus#latencyBucketsMs})
     * @param node           what the node last said about itself, or null before it answered
     */
    public record Backend(
            String name,
            String url,
            boolean registered,
            boolean healthy,
            String state,
            int weight,
            boolean routable,
            int active,
            long requests,
            long errors,
            String lastFailure,
            List<Long> latencyCounts,
            NodeStatus node) {}
}
