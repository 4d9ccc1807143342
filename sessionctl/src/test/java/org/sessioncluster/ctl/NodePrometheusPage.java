package org.sessioncluster.ctl;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one value from a node's Prometheus page ({@code /_node/metrics}, as a Prometheus server reads it). */
public final class NodePrometheusPage {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private NodePrometheusPage() {}

    public static long value(String nodeUrl, String metric) throws IOException, InterruptedException {
        String page = HTTP.send(
                        HttpRequest.newBuilder(URI.create(nodeUrl + "/_node/metrics"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        for (String line : page.split("\n")) {
            if (line.startsWith(metric + "{")) {
                return (long) Double.parseDouble(
                        line.substring(line.lastIndexOf(" ") + 1).trim());
            }
        }
        throw new AssertionError("no metric " + metric + " at " + nodeUrl + ":\n" + page);
    }
}
