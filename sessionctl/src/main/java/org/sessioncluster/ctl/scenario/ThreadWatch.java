package org.sessioncluster.ctl.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most threads any of some processes had, sampled from {@code /proc/<pid>/status} every 100 ms: a node
 * whose requests wait on a slow server must not start thread after thread. {@link #takeMax} reads the most since
 * the last call, so a run can tell the phases apart.
 */
final class ThreadWatch implements AutoCloseable {
    private static final long PERIOD_MILLIS = 100;

    private final List<Long> pids;
    private final AtomicInteger max = new AtomicInteger();
    private final Thread sampler;
    private volatile boolean stopped;

    ThreadWatch(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.sampler = new Thread(this::sample, "thread-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The most threads one of the processes had since the last call (or the start). */
    int takeMax() {
        sampleOnce();
        return max.getAndSet(0);
    }

    private void sample() {
        while (!stopped) {
            sampleOnce();
            try {
                Thread.sleep(PERIOD_MILLIS); // a sampling period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleOnce() {
        for (long pid : pids) {
            int threads = threads(pid);
            max.accumulateAndGet(threads, Math::max);
        }
    }

    /** The process's thread count now; 0 when it is gone. */
    static int threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone, or not Linux
        }
        return 0;
    }

    @Override
    public void close() {
        stopped = true;
        sampler.interrupt();
    }
}
