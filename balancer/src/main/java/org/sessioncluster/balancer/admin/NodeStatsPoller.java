package org.sessioncluster.balancer.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.sessioncluster.balancer.backend.Backend;
import org.sessioncluster.balancer.backend.BackendPool;
import org.sessioncluster.contract.ContractException;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.NodeStatus;

/** Once a second, what each registered node says at {@code /_node/status} (sessions, peers, heap), for the dashboard. */
final class NodeStatsPoller implements AutoCloseable {
    private final BackendPool pool;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500))
            .build();
    private final Map<String, NodeStatus> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-stats");
        t.setDaemon(true);
        return t;
    });

    NodeStatsPoller(BackendPool pool) {
        this.pool = pool;
    }

    void start() {
        timer.scheduleAtFixedRate(this::poll, 0, 1, TimeUnit.SECONDS);
    }

    private void poll() {
        try {
            pollAll();
        } catch (RuntimeException e) {
            latest.clear(); // never let the schedule die: a scheduled task that throws is cancelled
        }
    }

    private void pollAll() {
        for (Backend b : pool.all()) {
            if (!b.routable()) {
                latest.remove(b.name());
                continue;
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(b.url() + "/_node/status"))
                    .timeout(Duration.ofMillis(900))
                    .GET()
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, error) -> {
                if (error == null && resp.statusCode() == 200) {
                    try {
                        latest.put(b.name(), Contracts.read(resp.body(), NodeStatus.class));
                    } catch (ContractException e) {
                        latest.remove(b.name());
                    }
                } else {
                    latest.remove(b.name());
                }
            });
        }
    }

    NodeStatus of(String name) {
        return latest.get(name);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
