package org.sessioncluster.node.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

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
        resp.getWriter().write("{\"node\":\"" + state.name() + "\",\"mode\":\"" + state.mode()
                + "\",\"channelPeers\":" + state.channelPeers() + ",\"mapPeers\":" + state.mapPeers()
                + ",\"sessions\":" + state.sessionsHeld() + ",\"heapUsedBytes\":" + state.heapUsedBytes() + "}");
    }
}
