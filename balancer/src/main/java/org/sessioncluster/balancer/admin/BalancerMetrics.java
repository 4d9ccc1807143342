package org.sessioncluster.balancer.admin;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.balancer.proxy.ProxyMetrics;

/** The balancer's figures for a Prometheus server ({@code GET /metrics}), written by Prometheus's Java client. */
final class BalancerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

    BalancerMetrics(BackendPool pool, ProxyMetrics m) {
        counter("sessioncluster_balancer_requests", "Requests the balancer received", m::requests);
        counter("sessioncluster_balancer_errors", "Requests the balancer failed itself (502/503/504)", m::errors);
        counter("sessioncluster_balancer_retries", "Requests retried on another node", m::retries);
        counter("sessioncluster_balancer_no_node", "Requests refused because no node was available", m::noNode);
        CounterWithCallback.builder()
                .name("sessioncluster_balancer_node_requests")
                .help("Requests sent to each node")
                .labelNames("node")
                .callback(cb -> pool.all().forEach(b -> cb.call(b.requests().sum(), b.name())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("sessioncluster_balancer_node_up")
                .help("1 when the node gets traffic (registered, healthy, not disabled)")
                .labelNames("node")
                .callback(cb -> {
                    for (Backend b : pool.all()) {
                        cb.call(b.routable() ? 1 : 0, b.name());
                    }
                })
                .register(registry);
        // the proxy counts answers per bucket itself (no lock on the request path): handed over as they are
        registry.register(() -> {
            double[] bounds = new double[ProxyMetrics.BUCKETS_MS.length + 1];
            long[] counts = new long[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                bounds[i] = i < ProxyMetrics.BUCKETS_MS.length
                        ? ProxyMetrics.BUCKETS_MS[i] / 1000.0
                        : Double.POSITIVE_INFINITY;
                counts[i] = m.bucket(i);
            }
            return HistogramSnapshot.builder()
                    .name("sessioncluster_balancer_latency_seconds")
                    .help("Time from request received to answer sent")
                    .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                            .sum(m.latencyNanosTotal() / 1e9)
                            .build())
                    .build();
        });
    }

    /** The figures now, in the text format. */
    String render() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            text.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private void counter(String name, String help, java.util.function.LongSupplier value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(cb -> cb.call(value.getAsLong()))
                .register(registry);
    }
}
