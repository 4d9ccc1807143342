package org.sessioncluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy against a real Tomcat backend that reports what it received: bodies stream through intact in
 * both directions, X-Forwarded-* headers are added, hop-by-hop headers are not forwarded, pipelined requests are
 * answered in order, and with no
 * registered node the balancer answers 503 with a message.
 */
class ProxyForwardingTest {
    @TempDir
    Path dir;

    private Tomcat backend;
    private LoadBalancer balancer;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Answers with the SHA-256 of the body it got, the headers it got, and a body of ?reply=N bytes. */
    static class EchoServlet extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try (InputStream in = req.getInputStream()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[8192];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; total += n) {
                    sha.update(buf, 0, n);
                }
                resp.setHeader("X-Body-Sha256", HexFormat.of().formatHex(sha.digest()));
                resp.setHeader("X-Body-Length", Long.toString(total));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            resp.setHeader("X-Got-Forwarded-For", String.valueOf(req.getHeader("X-Forwarded-For")));
            resp.setHeader("X-Got-Forwarded-Proto", String.valueOf(req.getHeader("X-Forwarded-Proto")));
            resp.setHeader("X-Got-Forwarded-Host", String.valueOf(req.getHeader("X-Forwarded-Host")));
            resp.setHeader("X-Got-Proxy-Connection", String.valueOf(req.getHeader("Proxy-Connection")));
            resp.setHeader("X-Served-By", "echo");
            resp.setHeader("X-Got-Path", req.getRequestURI());
            int reply = Integer.parseInt(req.getParameter("reply") == null ? "0" : req.getParameter("reply"));
            byte[] chunk = new byte[8192];
            new Random(7).nextBytes(chunk);
            for (int sent = 0; sent < reply; sent += chunk.length) {
                resp.getOutputStream().write(chunk, 0, Math.min(chunk.length, reply - sent));
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        backend = TestNode.start(dir, new EchoServlet());

        balancer = TestBalancer.start(dir, Map.of());
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

    private String proxy() {
        return "http://127.0.0.1:" + balancer.port();
    }

    private static final String HOST = "Host: 127.0.0.1\r\n";

    /** A plain socket to the balancer, node-1 registered behind it. */
    private Socket rawClient() throws IOException {
        balancer.pool()
                .register("node-1", "http://127.0.0.1:" + backend.getConnector().getLocalPort());
        Socket socket = new Socket("127.0.0.1", balancer.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String requests) throws IOException {
        socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndTheConnectionServesOn() throws Exception {
        try (Socket socket = rawClient()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            // three requests in one write, a body in the middle one
            send(
                    socket,
                    "GET /first?reply=100 HTTP/1.1\r\n" + HOST + "\r\n"
                            + "POST /second HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\nhello"
                            + "GET /third?reply=3000 HTTP/1.1\r\n" + HOST + "\r\n");
            List<RawAnswer> answers = List.of(RawAnswer.read(in), RawAnswer.read(in), RawAnswer.read(in));
            assertThat(answers)
                    .extracting(a -> a.headers().get("x-got-path"))
                    .containsExactly("/first", "/second", "/third");
            assertThat(answers)
                    .extracting(a -> a.headers().get("x-body-length"))
                    .containsExactly("0", "5", "0");
            assertThat(answers).extracting(RawAnswer::bodyLength).containsExactly(100, 0, 3000);

            send(socket, "GET /fourth HTTP/1.1\r\n" + HOST + "\r\n");
            assertThat(RawAnswer.read(in).headers().get("x-got-path")).isEqualTo("/fourth");
        }
    }

    @Test
    void aClientThatClosesItsSendingSideGetsWhatItAskedThenTheConnectionCloses() throws Exception {
        try (Socket socket = rawClient()) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            send(
                    socket,
                    "GET /a?reply=100 HTTP/1.1\r\n" + HOST + "\r\n" + "GET /b?reply=300000 HTTP/1.1\r\n" + HOST
                            + "\r\n");
            socket.shutdownOutput(); // as `nc -N` does once its input ends
            RawAnswer a = RawAnswer.read(in);
            RawAnswer b = RawAnswer.read(in);
            assertThat(List.of(a.headers().get("x-got-path"), b.headers().get("x-got-path")))
                    .containsExactly("/a", "/b");
            assertThat(b.bodyLength()).isEqualTo(300_000);
            assertThat(in.read()).as("then the balancer closes the connection").isEqualTo(-1);
        }
    }

    /** An HTTP/1.1 answer read off a socket: its status, headers (names in lower case) and body length. */
    record RawAnswer(int status, Map<String, String> headers, int bodyLength) {
        static RawAnswer read(InputStream in) throws IOException {
            int status = Integer.parseInt(line(in).split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (String h; !(h = line(in)).isEmpty(); ) {
                int colon = h.indexOf(':');
                headers.put(
                        h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).trim());
            }
            int length = 0;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int chunk; (chunk = Integer.parseInt(line(in).trim(), 16)) > 0; length += chunk) {
                    in.readNBytes(chunk);
                    line(in);
                }
                line(in);
            } else {
                length = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))).length;
            }
            return new RawAnswer(status, headers, length);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("the connection closed mid-answer, after: " + b);
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }
    }

    @Test
    void withNoRegisteredNodeTheBalancerSays503() throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(proxy() + "/anything")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("no node is available");
    }

    @Test
    void bodiesStreamBothWaysAndForwardedHeadersAreAdded() throws Exception {
        balancer.pool()
                .register("node-1", "http://127.0.0.1:" + backend.getConnector().getLocalPort());
        byte[] upload = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(upload);
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(proxy() + "/upload?reply=2000000"))
                        .header("Proxy-Connection", "keep-alive")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Body-Length")).hasValue(Integer.toString(upload.length));
        assertThat(r.headers().firstValue("X-Body-Sha256"))
                .hasValue(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));
        assertThat(r.body()).hasSize(2_000_000);
        assertThat(r.headers().firstValue("X-Got-Forwarded-For")).hasValue("127.0.0.1");
        assertThat(r.headers().firstValue("X-Got-Forwarded-Proto")).hasValue("http");
        assertThat(r.headers().firstValue("X-Got-Forwarded-Host")).hasValue("127.0.0.1:" + balancer.port());
        assertThat(r.headers().firstValue("X-Got-Proxy-Connection"))
                .as("hop-by-hop headers stay behind")
                .hasValue("null");
    }
}
