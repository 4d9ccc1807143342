package org.sessioncluster.node.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeStatus;
import org.sessioncluster.tunnel.TunnelStats;

/** {@code GET /_node/status}: the node's name, mode, cluster peers and sessions ({@link NodeStatus}), as JSON. */
public class NodeStatusServlet extends HttpServlet {
    private final transient NodeState state;

    public NodeStatusServlet(NodeState state) {
        this.state = state;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(Contracts.write(status()));
    }

    NodeStatus status() {
        return new NodeStatus(
                state.name(),
                state.mode(),
                state.channelPeers(),
                state.mapPeers(),
                state.sessionsHeld(),
                state.heapUsedBytes(),
                state.traffic().getBytesSent(),
                state.traffic().getBytesReceived(),
                state.sessionStore(),
                tunnel());
    }

    /** With redis.ssh: what the tunnel to Redis carried, so anyone can see the traffic went through it. */
    private NodeStatus.TunnelStatus tunnel() {
        TunnelStats t = state.redisTunnel();
        return t == null
                ? null
                : new NodeStatus.TunnelStatus(
                        t.state().name().toLowerCase(),
                        t.connections(),
                        t.openConnections(),
                        t.bytesOut(),
                        t.bytesIn(),
                        t.reconnects());
    }
}
