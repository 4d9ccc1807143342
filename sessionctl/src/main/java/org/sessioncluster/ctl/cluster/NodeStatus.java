package org.sessioncluster.ctl.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.sessioncluster.config.NodeAddress;

/** What a node says about itself at {@code /_node/status}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(String node, String mode, int channelPeers, int mapPeers, int sessions, long heapUsedBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();

    /** The node's status, or empty when it does not answer (yet). */
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
            return Optional.of(JSON.readValue(response.body(), NodeStatus.class));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** True once the node sees the expected peers: on the channel, and (backup) in the replicated map. */
    public boolean seesPeers(int expected) {
        boolean channel = channelPeers < 0 || channelPeers >= expected;
        boolean map = mapPeers < 0 || mapPeers >= expected;
        return channel && map;
    }
}
