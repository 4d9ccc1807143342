package org.sessioncluster.load.meter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.sessioncluster.contract.ContractException;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeMetrics;

/**
 * A node's figures at one moment, read from its {@code /_node/metrics.json} ({@link NodeMetrics}).
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
                    HttpRequest.newBuilder(URI.create(nodeUrl + "/_node/metrics.json"))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException(nodeUrl + "/_node/metrics.json answered HTTP " + r.statusCode());
        }
        try {
            return of(Contracts.read(r.body(), NodeMetrics.class));
        } catch (ContractException e) {
            throw new IOException(nodeUrl + "/_node/metrics.json: " + e.getMessage(), e);
        }
    }

    /** The meter's view of the figures the node publishes. */
    static NodeSample of(NodeMetrics m) {
        return new NodeSample(
                m.sessionsHeld(),
                m.sessionBytesHeld(),
                m.clusterSentBytes(),
                m.clusterSentMessages(),
                m.clusterReceivedBytes(),
                m.clusterReceivedMessages(),
                m.storeWrittenBytes(),
                m.heapUsedBytes());
    }
}
