package org.sessioncluster.balancer.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;
import java.util.logging.Logger;

/**
 * The registry of nodes: nodes register, renew and deregister themselves; a node silent for longer
 * than the eviction window is evicted and gets no traffic. A Backend object outlives its registration,
 * so an operator's drain or weight survives a node's restart.
 */
public final class BackendPool {
    private static final Logger LOG = Logger.getLogger(BackendPool.class.getName());

    private final ConcurrentMap<String, Backend> backends = new ConcurrentHashMap<>();
    private final ToIntFunction<String> initialWeight;
    private final long evictionNanos;
    private volatile List<Backend> snapshot = List.of();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    /** Someone waiting for {@code count} nodes to be registered at once. */
    private record Waiter(int count, CompletableFuture<Void> done) {}

    private static final int LATENCY_BUCKETS = org.sessioncluster.balancer.proxy.ProxyMetrics.BUCKETS_MS.length + 1;

    public BackendPool(ToIntFunction<String> initialWeight, long evictionMillis) {
        this.initialWeight = initialWeight;
        this.evictionNanos = evictionMillis * 1_000_000L;
    }

    public Backend register(String name, String url) {
        long now = System.nanoTime();
        boolean[] created = {false};
        Backend backend = backends.computeIfAbsent(name, n -> {
            created[0] = true;
            return new Backend(n, url, initialWeight.applyAsInt(n), LATENCY_BUCKETS);
        });
        boolean wasRegistered = backend.registered();
        if (!url.equals(backend.url())) { // a reserved entry gets its URL here
            backend.setUrl(url);
        }
        // A node seen for the first time starts healthy: it registers only once it serves. A node that
        // was marked down (crashed, restarted) comes back through the rise count of the health checks.
        backend.setRegistered(true, now);
        refresh();
        if (!wasRegistered) {
            LOG.info(() -> name + " registered at " + url
                    + (created[0] || backend.healthy() ? "" : "; it gets traffic after passing the health checks"));
        }
        wakeWaiters(); // after the line above: what a waiter does follows the registration in the log too
        return backend;
    }

    /** False when the node is not registered (never was, deregistered, or evicted): it must register again. */
    public boolean renew(String name) {
        Backend backend = registered(name);
        if (backend != null) {
            backend.setRegistered(true, System.nanoTime());
        }
        return backend != null;
    }

    public boolean deregister(String name) {
        Backend backend = registered(name);
        if (backend != null) {
            backend.setRegistered(false, System.nanoTime());
            refresh();
            LOG.info(() -> name + " deregistered");
        }
        return backend != null;
    }

    /**
     * Completes (on the registering thread) once at least {@code count} nodes are registered at one time; at
     * once when they already are.
     */
    public CompletableFuture<Void> whenRegistered(int count) {
        Waiter waiter = new Waiter(count, new CompletableFuture<>());
        waiters.add(waiter);
        wakeWaiters();
        return waiter.done();
    }

    private void wakeWaiters() {
        long registered = backends.values().stream().filter(Backend::registered).count();
        for (Waiter w : waiters) {
            if (w.count() <= registered) {
                waiters.remove(w);
                w.done().complete(null);
            }
        }
    }

    /** The node of this name while it is registered; null when it never was, deregistered or was evicted. */
    private Backend registered(String name) {
        Backend backend = backends.get(name);
        return backend != null && backend.registered() ? backend : null;
    }

    /** Evicts every node that has not renewed within the window; returns their names. */
    public List<String> evictSilent() {
        long now = System.nanoTime();
        List<String> evicted = new ArrayList<>();
        for (Backend b : backends.values()) {
            if (b.registered() && now - b.lastRenewNanos() > evictionNanos) {
                b.setRegistered(false, b.lastRenewNanos());
                evicted.add(b.name());
                LOG.warning(
                        () -> b.name() + " evicted: no renewal for " + (now - b.lastRenewNanos()) / 1_000_000 + " ms");
            }
        }
        if (!evicted.isEmpty()) {
            refresh();
        }
        return evicted;
    }

    /**
     * The entry for a node that has not registered yet, so an operator can set its state or weight before
     * it gets any traffic (a blue-green or canary set starts disabled). It gets nothing until it registers.
     */
    public Backend reserve(String name) {
        Backend backend =
                backends.computeIfAbsent(name, n -> new Backend(n, null, initialWeight.applyAsInt(n), LATENCY_BUCKETS));
        refresh();
        return backend;
    }

    public Optional<Backend> get(String name) {
        return Optional.ofNullable(backends.get(name));
    }

    /** Every node ever registered, by name (a cheap, stable snapshot for the hot path). */
    public List<Backend> all() {
        return snapshot;
    }

    /**
     * Synchronized so that two concurrent registrations cannot publish their snapshots out of order:
     * the later publisher always reads the map after the earlier one's change, so no node goes missing.
     */
    private synchronized void refresh() {
        List<Backend> list = new ArrayList<>(backends.values());
        list.sort(Comparator.comparing(Backend::name, BackendPool::naturalOrder));
        snapshot = List.copyOf(list);
    }

    /** node-2 before node-10. */
    private static int naturalOrder(String a, String b) {
        String da = a.replaceAll("\\D", "");
        String db = b.replaceAll("\\D", "");
        if (!da.isEmpty()
                && !db.isEmpty()
                && da.length() < 10
                && db.length() < 10
                && a.replaceAll("\\d", "").equals(b.replaceAll("\\d", ""))) {
            return Integer.compare(Integer.parseInt(da), Integer.parseInt(db));
        }
        return a.compareTo(b);
    }
}
