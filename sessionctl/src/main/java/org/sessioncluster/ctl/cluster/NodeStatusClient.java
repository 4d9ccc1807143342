package org.sessioncluster.ctl.cluster;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeStatus;

/** Asks a node what it says about itself at {@code /_node/status}. */
public final class NodeStatusClient {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();

    private NodeStatusClient() {}

    /** The node's status, or empty when it does not answer (yet), or answers with something else. */
    public static Optional<NodeStatus> fetch(NodeAddress node) {
        return Contracts.fetch(HTTP, node.httpBaseUrl() + "/_node/status", Duration.ofSeconds(2), NodeStatus.class);
    }
}
