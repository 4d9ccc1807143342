package org.sessioncluster.node.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code GET /_node/metrics}: the node's figures in Prometheus text format. */
public class NodeMetricsServlet extends HttpServlet {
    private final transient NodeState state;

    public NodeMetricsServlet(NodeState state) {
        this.state = state;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String labels = "{node=\"" + state.name() + "\",mode=\"" + state.mode() + "\"}";
        ClusterTrafficCounter t = state.traffic();
        StringBuilder out = new StringBuilder();
        metric(
                out,
                "sessioncluster_sessions_held",
                "gauge",
                "Sessions this node holds in memory",
                labels,
                state.sessionsHeld());
        metric(
                out,
                "sessioncluster_session_bytes_held",
                "gauge",
                "Serialized bytes of the sessions this node holds in memory",
                labels,
                state.sessionBytesHeld());
        metric(
                out,
                "sessioncluster_cluster_peers",
                "gauge",
                "Peers on the cluster channel (-1: this mode has no channel)",
                labels,
                state.channelPeers());
        metric(
                out,
                "sessioncluster_cluster_sent_bytes_total",
                "counter",
                "Bytes sent on the cluster channel, counted once per destination",
                labels,
                t.getBytesSent());
        metric(
                out,
                "sessioncluster_cluster_sent_messages_total",
                "counter",
                "Messages sent on the cluster channel, counted once per destination",
                labels,
                t.getMessagesSent());
        metric(
                out,
                "sessioncluster_cluster_received_bytes_total",
                "counter",
                "Bytes received on the cluster channel",
                labels,
                t.getBytesReceived());
        metric(
                out,
                "sessioncluster_cluster_received_messages_total",
                "counter",
                "Messages received on the cluster channel",
                labels,
                t.getMessagesReceived());
        metric(
                out,
                "sessioncluster_store_written_bytes_total",
                "counter",
                "Bytes written to the shared session store (disk mode)",
                labels,
                state.storeBytesWritten());
        metric(
                out,
                "sessioncluster_store_fsyncs_total",
                "counter",
                "Session saves forced to the device (disk mode with session.store.fsync)",
                labels,
                state.storeFsyncs());
        metric(
                out,
                "sessioncluster_sessions_destroyed_total",
                "counter",
                "Sessions whose HttpSessionListener.sessionDestroyed this node called (invalidated or expired)",
                labels,
                state.sessionsDestroyed());
        metric(
                out,
                "sessioncluster_redis_round_trips_total",
                "counter",
                "Round trips the redis mode's session manager made to Redis (-1: not this mode)",
                labels,
                state.redisRoundTrips());
        metric(
                out,
                "sessioncluster_redis_expiry_notices_total",
                "counter",
                "Session expiries Redis announced that this node handled (one node of all tells the listeners)",
                labels,
                state.redisExpiryNotices());
        metric(out, "sessioncluster_heap_used_bytes", "gauge", "Java heap in use", labels, state.heapUsedBytes());
        resp.setContentType("text/plain; version=0.0.4");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(out.toString());
    }

    private static void metric(StringBuilder out, String name, String type, String help, String labels, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(labels).append(' ').append(value).append('\n');
    }
}
