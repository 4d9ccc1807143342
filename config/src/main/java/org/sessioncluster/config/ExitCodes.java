package org.sessioncluster.config;

/** What an exit code of this project's programs says, the same for sessionctl's commands, a node and the balancer. */
public final class ExitCodes {
    /** The command did what it was asked. */
    public static final int OK = 0;
    /**
     * It could not: a process or service did not start (sessionctl's {@code LaunchException}, a node's Tomcat, the
     * balancer's port), no cluster runs ({@code ClusterStateException}).
     */
    public static final int FAILED = 1;
    /** The input was wrong: an option, a config key or value ({@code BadInputException, ConfigException}); nothing was started. */
    public static final int BAD_INPUT = 2;
    /**
     * It ran, and what it checks is not so: a soak missed a goal, a rollout rolled back, a load had failed
     * requests, {@code status} found no cluster running.
     */
    public static final int NOT_MET = 3;

    private ExitCodes() {}
}
