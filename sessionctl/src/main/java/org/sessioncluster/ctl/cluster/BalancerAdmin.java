package org.sessioncluster.ctl.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.ctl.BadInputException;

/** sessionctl's client of the balancer's admin API (status, drain, enable, disable, weight). */
public final class BalancerAdmin {
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

    /** The status document, or empty when the balancer does not answer (or something else answers). */
    public Optional<BalancerStatus> status() {
        return Contracts.fetch(http, baseUrl + "/admin/status", Duration.ofSeconds(2), BalancerStatus.class);
    }

    /**
     * Waits, polling its status, until the balancer says the warm-up of its data path has ended; at most
     * {@code limit}. True when it has ended; false when it has not by then or the balancer stopped answering.
     */
    public boolean awaitWarmUp(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<BalancerStatus> status = status();
            if (status.isEmpty()) {
                return false;
            }
            if (status.get().warmedUp()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            RedisServer.pause(100);
        }
    }

    /** True when the balancer routes to this node (registered, healthy, not disabled). */
    public boolean routes(String node) {
        return node(node).map(BalancerStatus.Backend::routable).orElse(false);
    }

    /** The balancer's view of one node, when it lists it. */
    public Optional<BalancerStatus.Backend> node(String node) {
        return status().flatMap(s ->
                s.nodes().stream().filter(n -> n.name().equals(node)).findFirst());
    }

    /** True when the node registered and passes health checks, whatever an operator set (a disabled green node). */
    public boolean registeredAndHealthy(String node) {
        return node(node).map(n -> n.registered() && n.healthy()).orElse(false);
    }

    /** Enables and disables these nodes in one step (a blue-green switch); the balancer's state after it. */
    public BalancerStatus switchNodes(List<String> enable, List<String> disable) {
        return Contracts.read(
                post("/admin/switch?enable=" + String.join(",", enable) + "&disable=" + String.join(",", disable)),
                BalancerStatus.class);
    }

    /**
     * Sends a node command ({@code drain}, {@code enable}, {@code disable}, {@code weight?value=N}); returns
     * the node's new state, or throws with the balancer's own error message: a value it refuses is bad input, a node
     * it does not know is the cluster's state.
     */
    public BalancerStatus.Backend command(String node, String action) {
        return Contracts.read(post("/admin/nodes/" + node + "/" + action), BalancerStatus.Backend.class);
    }

    /** The answer's body; an answer other than 200 is the balancer's error message, thrown. */
    private String post(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                JsonNode error = Contracts.JSON.readTree(r.body()).get("error");
                String refusal = "the balancer refused: " + (error != null ? error.asText() : "HTTP " + r.statusCode());
                throw switch (r.statusCode()) {
                    case 400 -> new BadInputException(refusal); // a weight or node name the user gave (exit 2)
                    case 404 -> new ClusterStateException(refusal); // this cluster has no such node (exit 1)
                    default -> new LaunchException(refusal);
                };
            }
            return r.body();
        } catch (IOException e) {
            throw new LaunchException("the balancer at " + baseUrl + " does not answer: " + why(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException("interrupted", e);
        }
    }

    /** Why a request got no answer, in words: the JDK's client gives a refused connection no message. */
    private static String why(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused (is it running? sessionctl status)";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
