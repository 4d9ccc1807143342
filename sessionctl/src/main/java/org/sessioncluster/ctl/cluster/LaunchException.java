package org.sessioncluster.ctl.cluster;

/** Starting or stopping a cluster failed; the message says what and where to look. */
public class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
