package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.testsupport.TestTls;

/**
 * HTTP/2 on the client side, the node behind it speaking HTTP/1.1 (a real Tomcat that reports what it got): h2c
 * (the JDK client asks by Upgrade: h2c) and h2 over TLS (by ALPN). Requests and bodies arrive whole, the answers
 * come back as HTTP/2, X-Forwarded-Proto says how the client came; a TLS client that offers only HTTP/1.1 is
 * served in HTTP/1.1.
 */
class Http2ThroughBalancerTest {
    private static final String PASSWORD = "changeit-test-only";

    @TempDir
    Path dir;

    private Tomcat backend;
    private LoadBalancer balancer;

    @BeforeEach
    void startNode() throws Exception {
        backend = TestNode.start(dir, new ProxyForwardingTest.EchoServlet());
    }

    private void startBalancer(Map<String, String> more) throws Exception {
        balancer = TestBalancer.start(dir, more);
        balancer.pool()
                .register("node-1", "http://127.0.0.1:" + backend.getConnector().getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        backend.stop();
        backend.destroy();
    }

    @Test
    void h2cByUpgradeCarriesRequestsAndBodies() throws Exception {
        startBalancer(Map.of());
        HttpClient h2 =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String base = "http://127.0.0.1:" + balancer.port();
        HttpResponse<String> first = h2.send(
                HttpRequest.newBuilder(URI.create(base + "/first?reply=10")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.version()).as("upgraded on the first request").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(first.body()).hasSize(10);
        exchangesBodies(h2, base, "http");
    }

    @Test
    void h2OverTlsByAlpn() throws Exception {
        exchangesBodies(overTls(HttpClient.Version.HTTP_2), "https://127.0.0.1:" + balancer.port(), "https");
    }

    @Test
    void http1OverTlsWhenTheClientOffersNoH2() throws Exception {
        exchangesBodies(overTls(HttpClient.Version.HTTP_1_1), "https://127.0.0.1:" + balancer.port(), "https");
    }

    /** Starts the balancer with TLS; a client that trusts it and offers only this version. */
    private HttpClient overTls(HttpClient.Version version) throws Exception {
        Path keystore = TestTls.selfSignedKeystore(dir, "balancer", PASSWORD);
        startBalancer(Map.of(
                ConfigKeys.BALANCER_TLS_KEYSTORE,
                keystore.toString(),
                ConfigKeys.BALANCER_TLS_KEYSTORE_PASSWORD,
                PASSWORD));
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(TestTls.trusting(keystore, PASSWORD))
                .build();
    }

    private static void exchangesBodies(HttpClient h2, String base, String proto) throws Exception {
        byte[] upload = new byte[300_000];
        new Random(3).nextBytes(upload);
        for (int i = 0; i < 5; i++) {
            HttpResponse<byte[]> r = h2.send(
                    HttpRequest.newBuilder(URI.create(base + "/upload?reply=100000"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(h2.version());
            assertThat(r.headers().firstValue("X-Body-Sha256"))
                    .hasValue(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));
            assertThat(r.body()).hasSize(100_000);
            assertThat(r.headers().firstValue("X-Got-Forwarded-Proto")).hasValue(proto);
        }
    }
}
