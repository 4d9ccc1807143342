package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.contract.ContractException;
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
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.httpBaseUrl() + "/_node/status"))
                    .timeout(Duration.ofSeconds(2))
                    .GET()
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(Contracts.read(response.body(), NodeStatus.class));
        } catch (IOException | ContractException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
