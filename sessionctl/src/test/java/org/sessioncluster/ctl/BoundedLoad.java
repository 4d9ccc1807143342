package org.sessioncluster.ctl;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small background GET load for fault tests: a few threads, each at most {@code maxPerThread}
 * requests, stopping when told or when the budget is spent. Records every status and serving node.
 */
public final class BoundedLoad implements AutoCloseable {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService pool;
    private final AtomicBoolean stop = new AtomicBoolean();
    public final LongAdder ok = new LongAdder();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    public final Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();

    public BoundedLoad(String url, int threads, int maxPerThread) {
        pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                for (int i = 0; i < maxPerThread && !stop.get(); i++) {
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(10))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.increment();
                        } else {
                            failures.add("HTTP " + r.statusCode() + ": " + r.body());
                        }
                        servedBy.computeIfAbsent(
                                        r.headers().firstValue("X-Served-By").orElse("?"), k -> new AtomicInteger())
                                .incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
        }
    }

    public int served(String node) {
        AtomicInteger n = servedBy.get(node);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
