package org.sessioncluster.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** Raw calls to the balancer's admin API, with or without a token, as an attacker or an operator would make them. */
final class BalancerAdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    BalancerAdminClient(RunningCluster cluster) {
        this.base = cluster.config().registry().url();
        this.token = cluster.config().balancer().adminToken();
    }

    String token() {
        return token;
    }

    HttpResponse<String> post(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode node(String name) throws Exception {
        for (JsonNode n : JSON.readTree(get("/admin/status").body()).get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("the balancer does not know " + name);
    }

    JsonNode registry() throws Exception {
        return JSON.readTree(get("/registry").body());
    }
}
