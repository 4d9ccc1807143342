package org.sessioncluster.node.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.ToLongFunction;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeMetrics;

/**
 * The node's figures ({@link NodeMetrics}, read once per request): {@code GET /_node/metrics} in Prometheus's text
 * format, written by Prometheus's Java client for a Prometheus server; {@code GET /_node/metrics.json} the same
 * figures as the contract record this project's meter reads.
 */
public class NodeMetricsServlet extends HttpServlet {
    private final transient NodeState state;
    private final transient PrometheusRegistry registry = new PrometheusRegistry();
    private final transient PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    /** The figures the Prometheus callbacks of the request being answered read (one snapshot per scrape). */
    private final transient ThreadLocal<NodeMetrics> scraping = new ThreadLocal<>();

    public NodeMetricsServlet(NodeState state) {
        this.state = state;
        gauge("sessioncluster_sessions_held", "Sessions this node holds in memory", NodeMetrics::sessionsHeld);
        gauge(
                "sessioncluster_session_bytes_held",
                "Serialized bytes of the sessions this node holds in memory",
                NodeMetrics::sessionBytesHeld);
        gauge(
                "sessioncluster_cluster_peers",
                "Peers on the cluster channel (-1: this mode has no channel)",
                NodeMetrics::clusterPeers);
        counter(
                "sessioncluster_cluster_sent_bytes",
                "Bytes sent on the cluster channel, counted once per destination",
                NodeMetrics::clusterSentBytes);
        counter(
                "sessioncluster_cluster_sent_messages",
                "Messages sent on the cluster channel, counted once per destination",
                NodeMetrics::clusterSentMessages);
        counter(
                "sessioncluster_cluster_received_bytes",
                "Bytes received on the cluster channel",
                NodeMetrics::clusterReceivedBytes);
        counter(
                "sessioncluster_cluster_received_messages",
                "Messages received on the cluster channel",
                NodeMetrics::clusterReceivedMessages);
        counter(
                "sessioncluster_store_written_bytes",
                "Bytes written to the shared session store (disk mode)",
                NodeMetrics::storeWrittenBytes);
        counter(
                "sessioncluster_store_fsyncs",
                "Session saves forced to the device (disk mode with session.store.fsync)",
                NodeMetrics::storeFsyncs);
        counter(
                "sessioncluster_sessions_destroyed",
                "Sessions whose HttpSessionListener.sessionDestroyed this node called (invalidated or expired)",
                NodeMetrics::sessionsDestroyed);
        counter(
                "sessioncluster_redis_round_trips",
                "Round trips the redis mode's session manager made to Redis (0 in the other modes)",
                NodeMetrics::redisRoundTrips);
        counter(
                "sessioncluster_redis_expiry_notices",
                "Session expiries Redis announced that this node handled (one node of all tells the listeners; 0 in the other modes)",
                NodeMetrics::redisExpiryNotices);
        gauge("sessioncluster_heap_used_bytes", "Java heap in use", NodeMetrics::heapUsedBytes);
    }

    /** The node's figures now. */
    NodeMetrics metrics() {
        ClusterTrafficCounter t = state.traffic();
        return new NodeMetrics(
                state.name(),
                state.mode(),
                state.sessionsHeld(),
                state.sessionBytesHeld(),
                state.channelPeers(),
                t.getBytesSent(),
                t.getMessagesSent(),
                t.getBytesReceived(),
                t.getMessagesReceived(),
                state.storeBytesWritten(),
                state.storeFsyncs(),
                state.sessionsDestroyed(),
                state.redisRoundTrips(),
                state.redisExpiryNotices(),
                state.heapUsedBytes());
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        NodeMetrics now = metrics();
        if (req.getServletPath().endsWith(".json")) {
            resp.setContentType("application/json");
            resp.setCharacterEncoding("UTF-8");
            resp.getWriter().write(Contracts.write(now));
            return;
        }
        resp.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        scraping.set(now);
        try {
            text.write(resp.getOutputStream(), registry.scrape());
        } finally {
            scraping.remove();
        }
    }

    private void gauge(String name, String help, ToLongFunction<NodeMetrics> value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("node", "mode")
                .callback(cb -> {
                    NodeMetrics m = scraping.get();
                    cb.call(value.applyAsLong(m), m.node(), m.mode());
                })
                .register(registry);
    }

    /**
     * A counter: the client adds the {@code _total} the text format gives counters. A figure the mode does not
     * have (-1 in the document) is 0 here, as a counter may not be negative.
     */
    private void counter(String name, String help, ToLongFunction<NodeMetrics> value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .labelNames("node", "mode")
                .callback(cb -> {
                    NodeMetrics m = scraping.get();
                    cb.call(Math.max(0, value.applyAsLong(m)), m.node(), m.mode());
                })
                .register(registry);
    }
}
