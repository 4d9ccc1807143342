package org.sessioncluster.node.redis;

import java.util.Locale;

/**
 * How concurrent requests on one session are kept from losing each other's changes ({@code redis.session.lock}).
 * Every mode but NONE also refuses a save over a newer stored version (the request gets a 503 to retry).
 */
public enum SessionLockMode {
    /** A lock in Redis for the length of the request (taken with the load, released with the save): any node. */
    REDIS,
    /**
     * A lock in Redis only for requests that may change the session (every method but GET, HEAD, OPTIONS and
     * TRACE): a read is one round trip. A save a read makes anyway is refused (503, Retry-After) when the
     * session changed, or is locked, since the read loaded it, so it cannot overwrite a locked request's work.
     */
    WRITES,
    /** A lock in this JVM only: enough when the balancer keeps a session on one node (sticky). */
    NODE,
    /** No lock and no version check: the last writer wins (what Spring Session and Redisson do). */
    NONE;

    public static SessionLockMode parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
