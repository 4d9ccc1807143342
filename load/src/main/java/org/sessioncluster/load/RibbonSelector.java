package org.sessioncluster.load;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.sessioncluster.contract.Contracts;
import org.sessioncluster.contract.RegistryEntry;

/**
 * Client-side balancing, Ribbon's idea: the client reads the registry itself (refreshing it every
 * {@code refresh}), balances round-robin over the healthy, enabled nodes, skips a node that just failed
 * for {@code cooldown}, and retries a request that could not reach its node once on another one.
 */
public final class RibbonSelector implements NodeSelector {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private final String registryUrl;
    private final long refreshNanos;
    private final long cooldownNanos;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Map<String, Long> failedUntil = new ConcurrentHashMap<>();
    private volatile List<Target> servers = List.of();
    private volatile long fetchedAt;

    public RibbonSelector(String registryUrl, Duration refresh, Duration cooldown) {
        this.registryUrl = registryUrl;
        this.refreshNanos = refresh.toNanos();
        this.cooldownNanos = cooldown.toNanos();
        refresh();
        if (servers.isEmpty()) {
            throw new IllegalStateException("the registry at " + registryUrl + " lists no available node");
        }
    }

    /** Reads {@code GET /registry}; keeps the last list when the registry does not answer. */
    private synchronized void refresh() {
        // on no answer the last list stays: a registry outage must not stop the clients
        Contracts.fetch(http, registryUrl + "/registry", Duration.ofSeconds(2), RegistryEntry[].class)
                .ifPresent(entries -> servers = Arrays.stream(entries)
                        .filter(RegistryEntry::takesRequests)
                        .map(n -> new Target(n.name(), n.url()))
                        .toList());
        fetchedAt = System.nanoTime();
    }

    public List<Target> servers() {
        return servers;
    }

    @Override
    public Optional<Target> next(Set<Target> exclude) {
        if (System.nanoTime() - fetchedAt > refreshNanos) {
            refresh();
        }
        List<Target> list = servers;
        long now = System.nanoTime();
        for (int i = 0; i < list.size(); i++) {
            Target t = list.get(Math.floorMod(cursor.getAndIncrement(), list.size()));
            Long until = failedUntil.get(t.name());
            if (!exclude.contains(t) && (until == null || until < now)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public void failed(Target target) {
        failedUntil.put(target.name(), System.nanoTime() + cooldownNanos);
    }

    @Override
    public boolean retriesOnConnectFailure() {
        return true;
    }
}
