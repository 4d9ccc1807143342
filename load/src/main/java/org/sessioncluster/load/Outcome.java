package org.sessioncluster.load;

/** How one answer compares with what the virtual user expected. */
public enum Outcome {
    /** the session was there and current */
    OK,
    /** the session was gone: logged out, or a new empty session */
    SESSION_MISS,
    /** the session was there but older than the user's last write */
    STALE,
    /** no proper answer: connection failure, timeout, or an HTTP error status */
    ERROR
}
