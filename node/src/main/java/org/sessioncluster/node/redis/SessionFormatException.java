package org.sessioncluster.node.redis;

/** Something stored under a session's key that is not a session of this format (or does not deserialize). */
public final class SessionFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SessionFormatException(String message) {
        super(message);
    }

    SessionFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
