package org.sessioncluster.ctl.modes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.SessionClient;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;

/**
 * Malformed, forged and foreign JSESSIONID cookies, at the sticky balancer and at the nodes directly:
 * path tricks, overlong values, unknown or doubled jvmRoutes, markup, two cookies at once, and near
 * misses of a real user's id (one character short, other case). Each gets an ordinary answer from a node
 * with no session (no 5xx, no stack trace), and the real user's session is untouched.
 */
class ForgedSessionIdIT {
    /** Run folders and reports of this class's clusters; kept when a test fails, for their logs. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HttpResponse<String> session(String base, String cookieHeader) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + "/session"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Cookie", cookieHeader)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forgedSessionIdsGetAnOrdinaryAnswerAndLogNobodyIn() throws Exception {
        try (RunningCluster cluster = TestClusters.startBalanced(
                SessionMode.DELTA, 2, Files.createTempDirectory(tmp, "forged"), "sticky", Map.of())) {
            SessionClient victim = new SessionClient();
            victim.post(cluster.balancerUrl(), "/login", Map.of("user", "victim"));
            victim.post(cluster.balancerUrl(), "/cart/items", Map.of("item", "ring"));
            String real = victim.sessionId();
            String base = SessionClient.baseId(real);

            List<String> forged = List.of(
                    "JSESSIONID=../../../../etc/passwd",
                    "JSESSIONID=" + "A".repeat(4000),
                    "JSESSIONID=ABCDEF.node-99",
                    "JSESSIONID=ABCDEF.node-1.node-2",
                    "JSESSIONID=ABCDEF.",
                    "JSESSIONID=",
                    "JSESSIONID=<script>alert(1)</script>",
                    "JSESSIONID=%2e%2e%2f%00.node-1",
                    "JSESSIONID=one.node-1; JSESSIONID=two.node-2",
                    "JSESSIONID=" + base.substring(0, base.length() - 1) + ".node-1",
                    "JSESSIONID=" + base.toLowerCase(java.util.Locale.ROOT) + ".node-1");
            List<String> targets = List.of(
                    cluster.balancerUrl(),
                    cluster.nodes().get(0).url(),
                    cluster.nodes().get(1).url());
            for (String cookie : forged) {
                for (String target : targets) {
                    HttpResponse<String> r = session(target, cookie);
                    String what = cookie.substring(0, Math.min(60, cookie.length())) + " at " + target;
                    assertThat(r.statusCode()).as(what).isEqualTo(200);
                    assertThat(r.headers().firstValue("X-Served-By").orElse(""))
                            .as(what)
                            .startsWith("node-");
                    JsonNode body = JSON.readTree(r.body());
                    assertThat(body.get("user").isNull())
                            .as(what + " must log nobody in: " + r.body())
                            .isTrue();
                    assertThat(r.body()).doesNotContain("Exception");
                }
            }
            // The route after the dot is a routing hint, not a secret: the random base id is. With another
            // route the same base id still names the victim's session (Tomcat's jvmRoute binder moves it),
            // which only someone who already holds the base id can do.
            HttpResponse<String> rerouted = session(cluster.balancerUrl(), "JSESSIONID=" + base + ".node-99");
            assertThat(rerouted.statusCode()).isEqualTo(200);

            SessionClient.Answer still = victim.get(cluster.balancerUrl(), "/session");
            assertThat(still.text("user")).isEqualTo("victim");
            assertThat(still.body().get("cart").get(0).asText()).isEqualTo("ring");
        }
    }
}
