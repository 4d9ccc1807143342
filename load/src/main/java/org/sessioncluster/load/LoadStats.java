package org.sessioncluster.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counts and latencies of a running load, safe to update from every virtual user at once. */
final class LoadStats {
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final Map<String, LongAdder> perNode = new ConcurrentHashMap<>();
    private final LongAdder writes = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder retries = new LongAdder();
    /** 1 µs to 60 s, 3 significant digits. */
    private final Recorder latency = new Recorder(60_000_000L, 3);

    private final Histogram total = new Histogram(60_000_000L, 3);
    /** The first few errors, so a summary can say what went wrong. */
    private final java.util.List<String> errorSamples = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The first few misses, stale answers and failed reads, so a summary can say where sessions went wrong. */
    private final java.util.List<String> continuitySamples = new java.util.concurrent.CopyOnWriteArrayList<>();

    static final int CONTINUITY_SAMPLES = 10;

    private final LongAdder failedReads = new LongAdder();
    private final java.util.Set<Integer> usersWithMiss = ConcurrentHashMap.newKeySet();
    private final Timeline timeline;

    LoadStats() {
        this(new Timeline());
    }

    LoadStats(Timeline timeline) {
        this.timeline = timeline;
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
        }
    }

    void record(Reply reply, Outcome outcome, boolean write) {
        record(0, reply, outcome, write);
    }

    /** One answer to user {@code user} (1-based; 0 when unknown). */
    void record(int user, Reply reply, Outcome outcome, boolean write) {
        requests.increment();
        timeline.record(reply, outcome, write);
        if (outcome == Outcome.ERROR && !write) {
            failedReads.increment();
        }
        if (outcome == Outcome.SESSION_MISS && user > 0) {
            usersWithMiss.add(user);
        }
        outcomes.get(outcome).increment();
        if (write) {
            writes.increment();
        }
        if (reply.servedBy() != null) {
            perNode.computeIfAbsent(reply.servedBy(), k -> new LongAdder()).increment();
        }
        latency.recordValue(Math.max(1, Math.min(reply.nanos() / 1000, 60_000_000L)));
        if (outcome == Outcome.ERROR && errorSamples.size() < 5) {
            String body = reply.body() == null ? "" : " " + reply.body().toString();
            errorSamples.add(
                    reply.failure() != null
                            ? reply.failure()
                            : "HTTP " + reply.status() + " from " + reply.servedBy()
                                    + body.substring(0, Math.min(body.length(), 200)));
        }
    }

    /**
     * A session miss, stale answer or failed read, described: the request, the node that answered, what the
     * user expected and what came (or why nothing came). Only the first {@link #CONTINUITY_SAMPLES} are kept.
     */
    void continuity(
            int user,
            String sessionId,
            String request,
            Reply reply,
            Outcome outcome,
            long expectedVersion,
            int expectedCart) {
        if (continuitySamples.size() >= CONTINUITY_SAMPLES) {
            return;
        }
        String who = String.format(
                java.util.Locale.ROOT,
                "%.1f s: %s for user %d (session %s)",
                timeline.elapsedSeconds(),
                request,
                user,
                sessionId == null ? "none" : sessionId.substring(0, Math.min(8, sessionId.length())));
        String what;
        if (outcome == Outcome.ERROR) {
            String why = reply.failure() != null
                    ? reply.failure()
                    : "HTTP " + reply.status() + " from " + reply.servedBy()
                            + (reply.body() == null ? "" : " " + reply.body());
            what = " failed: " + why.substring(0, Math.min(why.length(), 200));
        } else {
            String got = outcome == Outcome.SESSION_MISS
                    ? "miss, no session of theirs (user " + reply.text("user") + ")"
                    : "stale, version " + reply.number("version") + ", cart " + reply.cartSize();
            what = " on " + reply.servedBy() + ": " + got + "; expected version " + expectedVersion + ", cart "
                    + expectedCart;
        }
        continuitySamples.add(who + what);
    }

    void retried() {
        retries.increment();
    }

    Timeline timeline() {
        return timeline;
    }

    /** GETs that got no proper answer. */
    long failedReads() {
        return failedReads.sum();
    }

    /** Users who found their session gone at least once. */
    int usersWithMiss() {
        return usersWithMiss.size();
    }

    long requests() {
        return requests.sum();
    }

    long count(Outcome o) {
        return outcomes.get(o).sum();
    }

    /** The summary so far; drains the interval recorder into the run's histogram. */
    synchronized LoadSummary summary(double seconds) {
        total.add(latency.getIntervalHistogram());
        Map<String, Long> nodes = new TreeMap<>();
        perNode.forEach((k, v) -> nodes.put(k, v.sum()));
        long n = requests.sum();
        return new LoadSummary(
                n,
                writes.sum(),
                count(Outcome.OK),
                count(Outcome.SESSION_MISS),
                count(Outcome.STALE),
                count(Outcome.ERROR),
                retries.sum(),
                seconds,
                seconds > 0 ? n / seconds : 0,
                ms(total.getValueAtPercentile(50)),
                ms(total.getValueAtPercentile(90)),
                ms(total.getValueAtPercentile(99)),
                ms(total.getMaxValue()),
                nodes,
                java.util.List.copyOf(errorSamples),
                java.util.List.copyOf(continuitySamples));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
