package org.sessioncluster.ctl.scenario;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.sessioncluster.load.Timeline;

/** Waiting in scenarios: for a point on the load's clock, or for a condition with a deadline. */
final class Clock {
    private static final long POLL_MILLIS = 10;

    private Clock() {}

    /** Returns when the timeline has run for {@code at}. */
    static void until(Timeline timeline, Duration at) throws InterruptedException {
        long left;
        while ((left = at.toMillis() - (long) (timeline.elapsedSeconds() * 1000)) > 0) {
            Thread.sleep(Math.min(left, 100)); // a scheduled action, not a synchronisation
        }
    }

    /** Polls until the condition holds (true) or the timeout passes (false). */
    static boolean waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return true;
    }
}
