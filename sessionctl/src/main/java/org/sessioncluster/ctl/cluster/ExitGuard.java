package org.sessioncluster.ctl.cluster;

/**
 * Runs a clean-up when this JVM exits before the command that set it got to run it itself (SIGTERM, Ctrl-C): the
 * processes a command starts for itself must not outlive it. Closing the guard (the normal end) takes the hook away.
 */
public final class ExitGuard implements AutoCloseable {
    private final Thread hook;

    private ExitGuard(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code cleanUp} at JVM exit unless the guard is closed first. */
    public static ExitGuard onExit(String name, Runnable cleanUp) {
        Thread hook = new Thread(cleanUp, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return new ExitGuard(hook);
    }

    @Override
    public void close() {
        if (Thread.currentThread() == hook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook runs (or ran) the clean-up, and the caller's own runs it again harmlessly
        }
    }
}
