package org.sessioncluster.ctl;

/** What sessionctl's exit code says, the same for every command. */
public final class ExitCodes {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /** It could not: a process did not start ({@code LaunchException}), no cluster runs ({@code ClusterStateException}). */
    public static final int FAILED = 1;
    /** The input was wrong: an option, a config key or value ({@code BadInputException}); nothing was started. */
    public static final int BAD_INPUT = 2;
    /**
     * It ran, and what it checks is not so: a soak missed a goal, a rollout rolled back, {@code status} found no
     * cluster running.
     */
    public static final int NOT_MET = 3;

    private ExitCodes() {}
}
