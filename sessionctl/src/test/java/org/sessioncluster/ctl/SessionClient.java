package org.sessioncluster.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser-like test client that talks to any node it is told to: it keeps the JSESSIONID cookie
 * itself (cookies are not port-specific, so one session cookie is sent to every node, as a browser
 * behind a balancer would) and follows Set-Cookie changes.
 */
public final class SessionClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String sessionId;

    /** A JSON answer with the node that served it. */
    public record Answer(int status, String servedBy, JsonNode body) {
        public String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asText();
        }
    }

    public String sessionId() {
        return sessionId;
    }

    public void useSessionId(String id) {
        this.sessionId = id;
    }

    public Answer get(String baseUrl, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public Answer post(String baseUrl, String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Answer put(String baseUrl, String pathAndQuery) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (sessionId != null) {
            request.header("Cookie", "JSESSIONID=" + sessionId);
        }
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            if (cookie.startsWith("JSESSIONID=")) {
                String value = cookie.substring(
                        "JSESSIONID=".length(), cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';'));
                sessionId = value.isEmpty() ? null : value;
            }
        }
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("X-Served-By").orElse(null),
                JSON.readTree(response.body()));
    }

    /** The id without its jvmRoute suffix: what stays the same when a session moves between nodes. */
    public static String baseId(String id) {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
