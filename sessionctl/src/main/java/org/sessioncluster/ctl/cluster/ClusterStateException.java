package org.sessioncluster.ctl.cluster;

/**
 * The cluster is not as the command needs it: none runs from the run folder, one already does, it runs without
 * a balancer, it has no node of that name (exit code 1); the message says what to do about it.
 */
public class ClusterStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterStateException(String message) {
        super(message);
    }
}
