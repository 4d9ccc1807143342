package org.sessioncluster.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.util.Timeout;

/** The load generator's HTTP client: pooled keep-alive connections, no cookie store of its own (each user keeps its session id). */
final class LoadHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CloseableHttpClient client;

    /** A request that could not be sent at all (safe to send elsewhere). */
    static final class NotSent extends IOException {
        NotSent(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    LoadHttp(int users) {
        client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(Math.max(16, users * 2))
                        .setMaxConnPerRoute(Math.max(16, users * 2))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(2))
                                .setSocketTimeout(Timeout.ofSeconds(30))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofSeconds(30))
                        .build())
                .disableCookieManagement()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .build();
    }

    /** A session-carrying exchange: returns the reply and the session id the answer set (or the one sent). */
    record Exchange(Reply reply, String sessionId) {}

    Exchange send(Target target, String method, String path, Map<String, String> form, String sessionId)
            throws IOException {
        ClassicRequestBuilder b = ClassicRequestBuilder.create(method).setUri(target.baseUrl() + path);
        if (form != null) {
            List<NameValuePair> pairs = form.entrySet().stream()
                    .map(e -> (NameValuePair) new BasicNameValuePair(e.getKey(), e.getValue()))
                    .toList();
            b.setEntity(new UrlEncodedFormEntity(pairs, StandardCharsets.UTF_8));
        }
        if (sessionId != null) {
            b.addHeader("Cookie", "JSESSIONID=" + sessionId);
        }
        ClassicHttpRequest request = b.build();
        long start = System.nanoTime();
        try {
            return client.execute(request, response -> {
                String body = response.getEntity() == null
                        ? ""
                        : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
                String id = sessionId;
                for (Header h : response.getHeaders("Set-Cookie")) {
                    String v = h.getValue();
                    if (v.startsWith("JSESSIONID=")) {
                        int end = v.indexOf(';');
                        id = v.substring("JSESSIONID=".length(), end < 0 ? v.length() : end);
                    }
                }
                Header servedBy = response.getFirstHeader("X-Served-By");
                Header version = response.getFirstHeader("X-App-Version");
                JsonNode json = null;
                try {
                    json = body.isEmpty() ? null : JSON.readTree(body);
                } catch (IOException e) {
                    json = null;
                }
                return new Exchange(
                        new Reply(
                                response.getCode(),
                                servedBy == null ? null : servedBy.getValue(),
                                version == null ? null : version.getValue(),
                                json,
                                System.nanoTime() - start,
                                null),
                        id);
            });
        } catch (ConnectException | ConnectTimeoutException e) {
            throw new NotSent(e);
        }
    }

    @Override
    public void close() {
        client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
    }
}
