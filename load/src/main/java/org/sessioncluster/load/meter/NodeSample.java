package org.sessioncluster.load.meter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's figures at one moment, read from its {@code /_node/metrics} page.
 *
 * @param sessions          sessions held in memory
 * @param sessionBytes      their serialized size
 * @param sentBytes         bytes sent on the cluster channel (counted once per destination)
 * @param sentMessages      messages sent on the cluster channel
 * @param receivedBytes     bytes received on the cluster channel
 * @param receivedMessages  messages received on the cluster channel
 * @param storeWrittenBytes bytes written to the shared session store (disk mode)
 * @param heapBytes         Java heap in use
 */
public record NodeSample(
        long sessions,
        long sessionBytes,
        long sentBytes,
        long sentMessages,
        long receivedBytes,
        long receivedMessages,
        long storeWrittenBytes,
        long heapBytes) {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    public static NodeSample scrape(String nodeUrl) throws IOException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(nodeUrl + "/_node/metrics"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException(nodeUrl + "/_node/metrics answered HTTP " + r.statusCode());
        }
        return parse(r.body());
    }

    /** Reads the Prometheus text the node publishes. */
    static NodeSample parse(String text) {
        Map<String, Long> v = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace > 0 ? brace : space);
            v.put(name, Long.parseLong(line.substring(space + 1).trim()));
        }
        return new NodeSample(
                v.getOrDefault("sessioncluster_sessions_held", 0L),
                v.getOrDefault("sessioncluster_session_bytes_held", 0L),
                v.getOrDefault("sessioncluster_cluster_sent_bytes_total", 0L),
                v.getOrDefault("sessioncluster_cluster_sent_messages_total", 0L),
                v.getOrDefault("sessioncluster_cluster_received_bytes_total", 0L),
                v.getOrDefault("sessioncluster_cluster_received_messages_total", 0L),
                v.getOrDefault("sessioncluster_store_written_bytes_total", 0L),
                v.getOrDefault("sessioncluster_heap_used_bytes", 0L));
    }
}
