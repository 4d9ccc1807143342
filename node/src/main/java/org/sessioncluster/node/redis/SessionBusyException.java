package org.sessioncluster.node.redis;

/** A session another request holds for longer than a request may wait, or that changed under a request. */
public final class SessionBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SessionBusyException(String message) {
        super(message);
    }
}
