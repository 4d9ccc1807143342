package org.sessioncluster.ctl.command;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a foreground command running until Ctrl-C (or its --for time is up), calling back every tick. */
final class UntilStopped {
    private UntilStopped() {}

    /**
     * @param limit  how long at most; null = until Ctrl-C
     * @param tick   how often to call {@code onTick}
     */
    static void run(Duration limit, Duration tick, Runnable onTick) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        long step = Math.max(1, tick.toMillis());
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0 || stop.await(Math.min(step, left), TimeUnit.MILLISECONDS)) {
                break;
            }
            onTick.run();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the JVM is on its way out anyway
        }
    }
}
