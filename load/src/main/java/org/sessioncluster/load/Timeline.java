package org.sessioncluster.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened second by second during a load run, for fault and rollout reports: requests, failures,
 * session misses, stale answers, and which node and which app version answered. Also the events a
 * scenario marks on it ("kill node-2", "step 50 %"), on the same clock.
 */
public final class Timeline {
    private final long startNanos;
    private final ConcurrentMap<Integer, Bucket> seconds = new ConcurrentHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong lastErrorNanos =
            new java.util.concurrent.atomic.AtomicLong(-1);

    /** One second of the run. */
    public record Second(
            int second,
            long requests,
            long errors,
            long misses,
            long stale,
            Map<String, Long> nodes,
            Map<String, Long> versions) {}

    /**
     * What the load saw between two moments (whole seconds): a fault's window, or the time after it.
     *
     * @param conflictingWrites writes the cluster accepted on an older copy of the session than the user's last
     *     write: a second version of the session, on another node (the user is the only writer of it)
     */
    public record Window(
            double fromSeconds,
            double toSeconds,
            long requests,
            long errors,
            long misses,
            long stale,
            long conflictingWrites,
            double p99Ms) {}

    /** Something the scenario did, at a time since the start of the run. */
    public record Event(double atSeconds, String what) {}

    private static final class Bucket {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder stale = new LongAdder();
        final LongAdder conflicts = new LongAdder();
        final org.HdrHistogram.ConcurrentHistogram micros = new org.HdrHistogram.ConcurrentHistogram(60_000_000L, 2);
        final ConcurrentMap<String, LongAdder> nodes = new ConcurrentHashMap<>();
        final ConcurrentMap<String, LongAdder> versions = new ConcurrentHashMap<>();
    }

    public Timeline() {
        this(System.nanoTime());
    }

    Timeline(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Seconds since the start of the run. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Marks an event now; returns its time. */
    public double mark(String what) {
        double at = elapsedSeconds();
        events.add(new Event(at, what));
        return at;
    }

    void record(Reply reply, Outcome outcome) {
        record(reply, outcome, false);
    }

    void record(Reply reply, Outcome outcome, boolean write) {
        Bucket b = seconds.computeIfAbsent((int) elapsedSeconds(), k -> new Bucket());
        b.requests.increment();
        b.micros.recordValue(Math.max(1, Math.min(reply.nanos() / 1000, 60_000_000L)));
        if (write && outcome == Outcome.STALE) {
            b.conflicts.increment();
        }
        switch (outcome) {
            case ERROR -> {
                b.errors.increment();
                lastErrorNanos.accumulateAndGet(System.nanoTime() - startNanos, Math::max);
            }
            case SESSION_MISS -> b.misses.increment();
            case STALE -> b.stale.increment();
            default -> {}
        }
        b.nodes
                .computeIfAbsent(reply.servedBy() == null ? "none" : reply.servedBy(), k -> new LongAdder())
                .increment();
        b.versions
                .computeIfAbsent(reply.version() == null ? "none" : reply.version(), k -> new LongAdder())
                .increment();
    }

    /** Every second so far, in order, empty seconds included. */
    public List<Second> seconds() {
        int last = seconds.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        List<Second> out = new ArrayList<>();
        for (int s = 0; s <= last; s++) {
            Bucket b = seconds.get(s);
            out.add(
                    b == null
                            ? new Second(s, 0, 0, 0, 0, Map.of(), Map.of())
                            : new Second(
                                    s,
                                    b.requests.sum(),
                                    b.errors.sum(),
                                    b.misses.sum(),
                                    b.stale.sum(),
                                    sums(b.nodes),
                                    sums(b.versions)));
        }
        return out;
    }

    /** The load between {@code from} and {@code to} seconds since the start (the seconds they fall in). */
    public Window window(double from, double to) {
        long requests = 0;
        long errors = 0;
        long misses = 0;
        long stale = 0;
        long conflicts = 0;
        org.HdrHistogram.Histogram micros = new org.HdrHistogram.Histogram(60_000_000L, 2);
        for (int s = (int) Math.floor(from); s < Math.ceil(to); s++) {
            Bucket b = seconds.get(s);
            if (b != null) {
                requests += b.requests.sum();
                errors += b.errors.sum();
                misses += b.misses.sum();
                stale += b.stale.sum();
                conflicts += b.conflicts.sum();
                micros.add(b.micros);
            }
        }
        double p99 = micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(99) / 1000.0;
        return new Window(from, to, requests, errors, misses, stale, conflicts, p99);
    }

    /** When the last failed request ended, in seconds since the start; negative when none failed. */
    public double lastErrorSeconds() {
        long n = lastErrorNanos.get();
        return n < 0 ? -1 : n / 1e9;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
