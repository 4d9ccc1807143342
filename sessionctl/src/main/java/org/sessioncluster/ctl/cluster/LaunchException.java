package org.sessioncluster.ctl.cluster;

/**
 * Starting, stopping or reaching a process of the cluster failed (a node, the balancer, Redis, a file of the run
 * folder); the message says what and where to look.
 */
public class LaunchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
