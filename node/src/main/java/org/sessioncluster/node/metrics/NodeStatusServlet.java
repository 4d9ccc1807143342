package org.sessioncluster.node.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.sessioncluster.tunnel.TunnelStats;

/** {@code GET /_node/status}: the node's name, mode, cluster peers and sessions, as JSON. */
public class NodeStatusServlet extends HttpServlet {
    private final transient NodeState state;

    public NodeStatusServlet(NodeState state) {
        this.state = state;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter()
                .write("{\"node\":\"" + state.name() + "\",\"mode\":\"" + state.mode()
                        + "\",\"channelPeers\":" + state.channelPeers() + ",\"mapPeers\":" + state.mapPeers()
                        + ",\"sessions\":" + state.sessionsHeld() + ",\"heapUsedBytes\":" + state.heapUsedBytes()
                        + ",\"clusterBytesSent\":" + state.traffic().getBytesSent()
                        + ",\"clusterBytesReceived\":" + state.traffic().getBytesReceived() + ",\"sessionStore\":\""
                        + json(state.sessionStore()) + "\""
                        + tunnel() + "}");
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** With redis.ssh: what the tunnel to Redis carried, so anyone can see the traffic went through it. */
    private String tunnel() {
        TunnelStats t = state.redisTunnel();
        if (t == null) {
            return "";
        }
        return ",\"redisTunnel\":{\"state\":\"" + t.state().name().toLowerCase() + "\",\"connections\":"
                + t.connections()
                + ",\"openConnections\":" + t.openConnections() + ",\"bytesOut\":" + t.bytesOut() + ",\"bytesIn\":"
                + t.bytesIn()
                + ",\"reconnects\":" + t.reconnects() + "}";
    }
}
