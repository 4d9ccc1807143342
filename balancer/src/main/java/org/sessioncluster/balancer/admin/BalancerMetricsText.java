package org.sessioncluster.balancer.admin;

import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.proxy.ProxyMetrics;

/** The balancer's figures in Prometheus text format. */
final class BalancerMetricsText {
    private BalancerMetricsText() {}

    static String render(BackendPool pool, ProxyMetrics m) {
        StringBuilder out = new StringBuilder();
        counter(out, "sessioncluster_balancer_requests_total", "Requests the balancer received", m.requests());
        counter(
                out,
                "sessioncluster_balancer_errors_total",
                "Requests the balancer failed itself (502/503/504)",
                m.errors());
        counter(out, "sessioncluster_balancer_retries_total", "Requests retried on another node", m.retries());
        counter(
                out,
                "sessioncluster_balancer_no_node_total",
                "Requests refused because no node was available",
                m.noNode());

        out.append("# HELP sessioncluster_balancer_node_requests_total Requests sent to each node\n");
        out.append("# TYPE sessioncluster_balancer_node_requests_total counter\n");
        for (Backend b : pool.all()) {
            out.append("sessioncluster_balancer_node_requests_total{node=\"")
                    .append(b.name())
                    .append("\"} ")
                    .append(b.requests().sum())
                    .append('\n');
        }
        out.append(
                "# HELP sessioncluster_balancer_node_up 1 when the node gets traffic (registered, healthy, not disabled)\n");
        out.append("# TYPE sessioncluster_balancer_node_up gauge\n");
        for (Backend b : pool.all()) {
            out.append("sessioncluster_balancer_node_up{node=\"")
                    .append(b.name())
                    .append("\"} ")
                    .append(b.routable() ? 1 : 0)
                    .append('\n');
        }

        out.append("# HELP sessioncluster_balancer_latency_seconds Time from request received to answer sent\n");
        out.append("# TYPE sessioncluster_balancer_latency_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < ProxyMetrics.BUCKETS_MS.length; i++) {
            cumulative += m.bucket(i);
            out.append("sessioncluster_balancer_latency_seconds_bucket{le=\"")
                    .append(ProxyMetrics.BUCKETS_MS[i] / 1000.0)
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        cumulative += m.bucket(ProxyMetrics.BUCKETS_MS.length);
        out.append("sessioncluster_balancer_latency_seconds_bucket{le=\"+Inf\"} ")
                .append(cumulative)
                .append('\n');
        out.append("sessioncluster_balancer_latency_seconds_sum ")
                .append(m.latencyNanosTotal() / 1e9)
                .append('\n');
        out.append("sessioncluster_balancer_latency_seconds_count ")
                .append(cumulative)
                .append('\n');
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}
