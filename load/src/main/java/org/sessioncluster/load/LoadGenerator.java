package org.sessioncluster.load;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Runs a load plan: the virtual users in parallel, bounded by time or request count, with progress once a second. */
public final class LoadGenerator {

    /** A progress report: elapsed time, and the counts so far. */
    public record Progress(double seconds, double fraction, long requests, long misses, long stale, long errors) {
        /** One terminal line with a bar. */
        public String line() {
            int width = 30;
            int done = (int) Math.round(Math.min(1, fraction) * width);
            return String.format(
                    "[%s%s] %5.1f s %8d req %7.0f req/s  miss %d  stale %d  err %d",
                    "=".repeat(done),
                    " ".repeat(width - done),
                    seconds,
                    requests,
                    seconds > 0 ? requests / seconds : 0,
                    misses,
                    stale,
                    errors);
        }
    }

    /**
     * What a run measured beyond the summary, for fault and rollout scenarios.
     *
     * @param failedReads   GETs that got no proper answer
     * @param usersWithMiss users who found their session gone at least once (sessions lost)
     * @param timeline      second by second, with the scenario's events
     */
    public record Result(LoadSummary summary, long failedReads, int usersWithMiss, Timeline timeline) {}

    /** A load running in the background while a scenario acts on the cluster. */
    public static final class RunningLoad {
        private final Thread thread;
        private final AtomicBoolean stop;
        private final Timeline timeline;
        private volatile Result result;
        private volatile Throwable failure;

        private RunningLoad(Thread thread, AtomicBoolean stop, Timeline timeline) {
            this.thread = thread;
            this.stop = stop;
            this.timeline = timeline;
        }

        public Timeline timeline() {
            return timeline;
        }

        /** Ends the run early (the users finish the request they are in). */
        public void stop() {
            stop.set(true);
        }

        /** Waits for the end of the run (its bound, or {@link #stop()}). */
        public Result await() throws InterruptedException {
            thread.join();
            if (failure != null) {
                throw new IllegalStateException("the load run failed: " + failure, failure);
            }
            return result;
        }
    }

    public LoadSummary run(LoadPlan plan, NodeSelector selector, Consumer<Progress> progress)
            throws InterruptedException {
        Timeline timeline = new Timeline();
        return run(plan, selector, progress, new AtomicBoolean(), timeline).summary();
    }

    /** Starts the run on a thread of its own and returns at once. */
    public RunningLoad start(LoadPlan plan, NodeSelector selector, Consumer<Progress> progress) {
        AtomicBoolean stop = new AtomicBoolean();
        Timeline timeline = new Timeline();
        RunningLoad[] handle = new RunningLoad[1];
        Thread thread = new Thread(
                () -> {
                    try {
                        handle[0].result = run(plan, selector, progress, stop, timeline);
                    } catch (Throwable e) { // reported by await()
                        handle[0].failure = e;
                    }
                },
                "load-run");
        thread.setDaemon(true);
        handle[0] = new RunningLoad(thread, stop, timeline);
        thread.start();
        return handle[0];
    }

    private Result run(
            LoadPlan plan, NodeSelector selector, Consumer<Progress> progress, AtomicBoolean stop, Timeline timeline)
            throws InterruptedException {
        LoadStats stats = new LoadStats(timeline);
        long start = System.nanoTime();
        long deadline = plan.duration() == null || plan.duration().isZero()
                ? Long.MAX_VALUE
                : start + plan.duration().toNanos();
        long budget = plan.maxRequests() > 0 ? plan.maxRequests() : Long.MAX_VALUE;
        BooleanSupplier running = () -> !stop.get() && System.nanoTime() < deadline && stats.requests() < budget;

        ExecutorService users = Executors.newFixedThreadPool(plan.users(), r -> {
            Thread t = new Thread(r, "virtual-user");
            t.setDaemon(true);
            return t;
        });
        try (LoadHttp http = new LoadHttp(plan.users())) {
            for (int i = 1; i <= plan.users(); i++) {
                users.submit(new VirtualUser(i, plan, selector, http, stats, running));
            }
            users.shutdown();
            while (!users.awaitTermination(1, TimeUnit.SECONDS)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                double byTime =
                        deadline == Long.MAX_VALUE ? 0 : (System.nanoTime() - start) / (double) (deadline - start);
                double byCount = budget == Long.MAX_VALUE ? 0 : stats.requests() / (double) budget;
                progress.accept(new Progress(
                        seconds,
                        Math.max(byTime, byCount),
                        stats.requests(),
                        stats.count(Outcome.SESSION_MISS),
                        stats.count(Outcome.STALE),
                        stats.count(Outcome.ERROR)));
                if (System.nanoTime()
                        > Math.min(deadline, Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(60))
                                + TimeUnit.SECONDS.toNanos(60)) {
                    stop.set(true); // users stuck on a dead connection: give up after a minute past the end
                    users.shutdownNow();
                }
            }
        } finally {
            stop.set(true);
            users.shutdownNow();
        }
        LoadSummary summary = stats.summary((System.nanoTime() - start) / 1e9);
        progress.accept(new Progress(
                summary.seconds(), 1, summary.requests(), summary.misses(), summary.stale(), summary.errors()));
        return new Result(summary, stats.failedReads(), stats.usersWithMiss(), timeline);
    }
}
