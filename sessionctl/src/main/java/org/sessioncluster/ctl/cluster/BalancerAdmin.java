package org.sessioncluster.ctl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.sessioncluster.config.ClusterConfig;

/** sessionctl's client of the balancer's admin API (status, drain, enable, disable, weight). */
public final class BalancerAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * One client per balancer, never shared across clusters: a pooled keep-alive connection must not
     * outlive the cluster it was opened to (ports are reused by later clusters).
     */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();

    private final String baseUrl;
    private final String token;

    public BalancerAdmin(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public static BalancerAdmin of(ClusterConfig config) {
        return new BalancerAdmin(config.registry().url(), config.balancer().adminToken());
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The status document, or empty when the balancer does not answer. */
    public Optional<JsonNode> status() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/admin/status"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** True when the balancer routes to this node (registered, healthy, not disabled). */
    public boolean routes(String node) {
        return status().map(s -> {
                    for (JsonNode n : s.get("nodes")) {
                        if (n.get("name").asText().equals(node)) {
                            return n.get("routable").asBoolean();
                        }
                    }
                    return false;
                })
                .orElse(false);
    }

    /** The balancer's view of one node, when it lists it. */
    public Optional<JsonNode> node(String node) {
        return status().flatMap(s -> {
            for (JsonNode n : s.get("nodes")) {
                if (n.get("name").asText().equals(node)) {
                    return Optional.of(n);
                }
            }
            return Optional.empty();
        });
    }

    /** True when the node registered and passes health checks, whatever an operator set (a disabled green node). */
    public boolean registeredAndHealthy(String node) {
        return node(node)
                .map(n -> n.get("registered").asBoolean() && n.get("healthy").asBoolean())
                .orElse(false);
    }

    /** Enables and disables these nodes in one step (a blue-green switch). */
    public JsonNode switchNodes(java.util.List<String> enable, java.util.List<String> disable) {
        return post("/admin/switch?enable=" + String.join(",", enable) + "&disable=" + String.join(",", disable));
    }

    /**
     * Sends a node command ({@code drain}, {@code enable}, {@code disable}, {@code weight?value=N}); returns
     * the node's new state or throws a LaunchException with the balancer's own error message.
     */
    public JsonNode command(String node, String action) {
        return post("/admin/nodes/" + node + "/" + action);
    }

    private JsonNode post(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            if (r.statusCode() != 200) {
                throw new LaunchException("the balancer refused: "
                        + (body.has("error") ? body.get("error").asText() : "HTTP " + r.statusCode()));
            }
            return body;
        } catch (IOException e) {
            throw new LaunchException("the balancer at " + baseUrl + " does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }
}
