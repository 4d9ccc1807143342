package org.sessioncluster.balancer.backend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Active health checks ({@code GET /health} on every registered node each interval; {@code fall}
 * failures in a row take a node out, {@code rise} successes bring it back), passive ejection when a
 * request cannot reach a node, and the registry's eviction of silent nodes.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthChecker.class.getName());

    private final BackendPool pool;
    private final int intervalMillis;
    private final int fall;
    private final int rise;
    private final HttpClient http;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "health-check");
        t.setDaemon(true);
        return t;
    });

    public HealthChecker(BackendPool pool, int intervalMillis, int fall, int rise) {
        this.pool = pool;
        this.intervalMillis = intervalMillis;
        this.fall = fall;
        this.rise = rise;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(intervalMillis))
                .build();
    }

    public void start() {
        timer.scheduleAtFixedRate(
                () -> guarded("health checks", this::checkAll), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        long evictEvery = Math.max(50, Math.min(500, intervalMillis));
        timer.scheduleAtFixedRate(
                () -> guarded("registry eviction", pool::evictSilent), evictEvery, evictEvery, TimeUnit.MILLISECONDS);
    }

    /** A scheduled task that throws is cancelled without a word: log and keep the schedule alive instead. */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warning(() -> what + " failed unexpectedly: " + e);
        }
    }

    private void checkAll() {
        for (Backend b : pool.all()) {
            if (!b.registered()) {
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(b.url() + "/health"))
                    .timeout(Duration.ofMillis(intervalMillis))
                    .GET()
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, error) -> {
                boolean ok = error == null && resp.statusCode() == 200;
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                String why = cause != null ? cause.getClass().getSimpleName() : "HTTP " + resp.statusCode();
                Boolean changed = b.recordCheck(ok, why, fall, rise);
                if (Boolean.TRUE.equals(changed)) {
                    LOG.info(() -> b.name() + " is UP again (" + rise + " good checks)");
                } else if (Boolean.FALSE.equals(changed)) {
                    LOG.warning(() -> b.name() + " is DOWN (" + fall + " failed checks, last: " + why + ")");
                }
            });
        }
    }

    /** Passive ejection: called by the proxy when a request could not reach the node. */
    public void unreachable(Backend backend, String why) {
        if (backend.eject(why)) {
            LOG.warning(() -> backend.name() + " is DOWN (a request could not reach it: " + why + ")");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
