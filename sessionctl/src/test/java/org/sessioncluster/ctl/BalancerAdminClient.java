package org.sessioncluster.ctl;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.RegistryEntry;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** Raw calls to the balancer's admin API, with or without a token, as an attacker or an operator would make them. */
public final class BalancerAdminClient {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    public BalancerAdminClient(RunningCluster cluster) {
        this.base = cluster.config().registry().url();
        this.token = cluster.config().balancer().adminToken();
    }

    public String token() {
        return token;
    }

    public HttpResponse<String> post(String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The balancer's view of a node, read through the contract record the balancer writes. */
    public BalancerStatus.Backend node(String name) throws Exception {
        return Contracts.read(get("/admin/status").body(), BalancerStatus.class).nodes().stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the balancer does not know " + name));
    }

    /** The registry, read through the contract record a Ribbon-style client reads. */
    public List<RegistryEntry> registry() throws Exception {
        return List.of(Contracts.read(get("/registry").body(), RegistryEntry[].class));
    }
}
