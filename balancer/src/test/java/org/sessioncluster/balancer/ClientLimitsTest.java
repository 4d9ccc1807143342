package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessioncluster.config.ConfigKeys;

/**
 * Bad clients against the real balancer in front of a real Tomcat: an oversized body gets 413 (declared or
 * chunked) and never reaches the node; an oversized header gets 400; slow clients (slowloris-style, a
 * bounded 40 of them) hold no worker — everyone else is served meanwhile — and a client that goes silent is
 * disconnected after balancer.client.timeout.ms. The node stays healthy throughout.
 */
class ClientLimitsTest {
    private static final int MAX_BODY = 64 * 1024;
    private static final int CLIENT_TIMEOUT_MS = 1500;

    @TempDir
    Path dir;

    private Tomcat backend;
    private LoadBalancer balancer;
    private final AtomicInteger bodiesSeen = new AtomicInteger();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() throws Exception {
        backend = TestNode.start(dir, new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getInputStream().readAllBytes().length > 0) {
                    bodiesSeen.incrementAndGet();
                }
                resp.setHeader("X-Served-By", "node-1");
                resp.getWriter().write("ok");
            }
        });
        balancer = TestBalancer.start(
                dir,
                Map.of(
                        ConfigKeys.BALANCER_MAX_BODY_BYTES,
                        Integer.toString(MAX_BODY),
                        ConfigKeys.BALANCER_CLIENT_TIMEOUT_MS,
                        Integer.toString(CLIENT_TIMEOUT_MS),
                        ConfigKeys.BALANCER_MAX_HEADER_BYTES,
                        "8192"));
        balancer.pool()
                .register("node-1", "http://127.0.0.1:" + backend.getConnector().getLocalPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (balancer != null) {
            balancer.close();
        }
        if (backend != null) {
            backend.stop();
            backend.destroy();
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + balancer.port() + path);
    }

    private HttpResponse<String> get() throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void oversizedBodiesGet413AndNeverReachTheNode() throws Exception {
        HttpResponse<String> declared = http.send(
                HttpRequest.newBuilder(uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY + 1]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains(ConfigKeys.BALANCER_MAX_BODY_BYTES);

        // no Content-Length: a chunked upload that grows past the limit while it streams
        HttpResponse<String> chunked = http.send(
                HttpRequest.newBuilder(uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(new byte[MAX_BODY * 4])))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(bodiesSeen.get())
                .as("complete oversized bodies that reached the node")
                .isZero();

        HttpResponse<String> fits = http.send(
                HttpRequest.newBuilder(uri("/upload"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(bodiesSeen.get()).isEqualTo(1);
        assertThat(balancer.pool().get("node-1").orElseThrow().healthy())
                .as("a client's big body is not the node's fault")
                .isTrue();
    }

    @Test
    void anOversizedHeaderGets400AndTheNextRequestIsServed() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), balancer.port())) {
            s.setSoTimeout(5000);
            String big =
                    "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(16 * 1024) + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(big.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        assertThat(get().statusCode()).isEqualTo(200);
    }

    @Test
    void slowClientsHoldNoWorkerAndSilentOnesAreDisconnected() throws Exception {
        List<Socket> slow = new ArrayList<>();
        long firstSilentSince = System.nanoTime(); // the first slow client's last byte goes out right after this
        try {
            for (int i = 0; i < 40; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), balancer.port());
                s.getOutputStream()
                        .write("GET / HTTP/1.1\r\nHost: x\r\n"
                                .getBytes(StandardCharsets.US_ASCII)); // and never the end
                slow.add(s);
            }
            // while 40 requests hang half-sent, everyone else is served
            for (int i = 0; i < 50; i++) {
                assertThat(get().statusCode()).isEqualTo(200);
            }
            // a client silent for longer than balancer.client.timeout.ms is disconnected (read returns -1 or resets)
            Socket silent = slow.get(0);
            silent.setSoTimeout(CLIENT_TIMEOUT_MS * 4);
            int read;
            try {
                InputStream in = silent.getInputStream();
                read = in.read();
                while (read >= 0) {
                    read = in.read(); // an error page, if any, then the close
                }
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            long waitedMs = (System.nanoTime() - firstSilentSince) / 1_000_000;
            assertThat(read).isEqualTo(-1);
            assertThat(waitedMs)
                    .as("disconnected after the client timeout, not before")
                    .isGreaterThanOrEqualTo(CLIENT_TIMEOUT_MS / 2);
            // the rest are closed too: writing to them eventually fails
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> slow.stream().skip(1).allMatch(ClientLimitsTest::closedByServer));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        assertThat(get().statusCode()).isEqualTo(200);
    }

    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(50);
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
