package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * A node believes X-Forwarded-Proto only from the addresses {@code node.internal.proxies} names: from a trusted
 * proxy, a request that came over HTTPS gets a Secure session cookie; from anyone else the header is ignored, so
 * a client on the nodes' network cannot pass itself off as having come over TLS (or as another address).
 */
class ForwardedHeadersIT {
    @TempDir
    Path dir;

    private static RunningCluster node(Path runDir, Map<String, String> more) {
        return new ClusterLauncher(new ClusterLauncher.Options(
                        TestClusters.war(), runDir, RedisServer.Binary.AUTO, false, l -> {}))
                .start(TestClusters.config(SessionMode.LOCAL, 1, more));
    }

    private static List<String> loginCookies(RunningCluster cluster) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(cluster.nodes().get(0).url() + "/login"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .header("X-Forwarded-Proto", "https")
                                .header("X-Forwarded-For", "203.0.113.7")
                                .POST(HttpRequest.BodyPublishers.ofString("user=ana"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().allValues("Set-Cookie");
    }

    @Test
    void forwardedHeadersCountOnlyFromTheInternalProxies() throws Exception {
        try (RunningCluster trusting = node(dir.resolve("default"), Map.of())) {
            assertThat(loginCookies(trusting))
                    .as("loopback is an internal proxy by default")
                    .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").contains("Secure"));
        }
        try (RunningCluster strict =
                node(dir.resolve("strict"), Map.of(ConfigKeys.NODE_INTERNAL_PROXIES, "10\\.9\\.9\\.9"))) {
            assertThat(loginCookies(strict))
                    .as("X-Forwarded-Proto from an address that is not an internal proxy is ignored")
                    .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").doesNotContain("Secure"));
        }
    }
}
