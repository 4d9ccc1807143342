package org.sessioncluster.ctl.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.TestClusters;
import org.sessioncluster.ctl.cluster.RunningCluster;
import org.sessioncluster.testsupport.TestTls;

/**
 * The balancer terminating TLS with a self-signed key made here (the JDK's keytool): clients speak HTTPS
 * (trusting exactly that certificate), the nodes behind speak HTTP, and the session cookie they set is
 * Secure, HttpOnly and SameSite=Lax; plain HTTP to the TLS port gets no answer.
 */
class BalancerTlsIT {
    private static final String PASSWORD = "changeit-test-only";

    @TempDir
    Path dir;

    private static HttpClient trusting(Path keystore) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(TestTls.trusting(keystore, PASSWORD))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    @Test
    void theBalancerTerminatesTlsAndTheSessionCookieIsSecure() throws Exception {
        Path keystore = TestTls.selfSignedKeystore(dir, "balancer", PASSWORD);
        try (RunningCluster cluster = TestClusters.startBalanced(
                SessionMode.REDIS,
                2,
                dir.resolve("run"),
                "sticky",
                Map.of(
                        ConfigKeys.BALANCER_TLS_KEYSTORE,
                        keystore.toString(),
                        ConfigKeys.BALANCER_TLS_KEYSTORE_PASSWORD,
                        PASSWORD))) {
            assertThat(cluster.balancerUrl()).startsWith("https://");
            HttpClient https = trusting(keystore);
            HttpResponse<String> login = https.send(
                    HttpRequest.newBuilder(URI.create(cluster.balancerUrl() + "/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("user=ana"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            List<String> cookies = login.headers().allValues("Set-Cookie");
            assertThat(cookies)
                    .anySatisfy(c -> assertThat(c)
                            .startsWith("JSESSIONID=")
                            .contains("Secure")
                            .contains("HttpOnly")
                            .contains("SameSite=Lax"));

            // straight to a node over plain HTTP (no X-Forwarded-Proto): the cookie is not marked Secure
            HttpResponse<String> direct = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(cluster.nodes().get(0).url() + "/login"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString("user=bo"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(direct.headers().allValues("Set-Cookie"))
                    .anySatisfy(c -> assertThat(c).startsWith("JSESSIONID=").doesNotContain("Secure"));

            // plain HTTP to the TLS port: refused (Tomcat answers 400 "requires TLS", or the handshake breaks)
            String plain = cluster.balancerUrl().replace("https://", "http://");
            try {
                HttpResponse<String> r = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create(plain + "/session"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("plain HTTP to the TLS port").isEqualTo(400);
                assertThat(r.headers().firstValue("X-Served-By"))
                        .as("no node saw it")
                        .isEmpty();
            } catch (java.io.IOException refused) {
                assertThat(refused).isNotNull();
            }
        }
    }
}
