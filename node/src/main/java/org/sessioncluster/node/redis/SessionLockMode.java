package org.sessioncluster.node.redis;

import java.util.Locale;

/**
 * How concurrent requests on one session are kept from losing each other's changes ({@code redis.session.lock}).
 * Every mode but NONE also refuses a save over a newer stored version (the request gets a 503 to retry).
 */
public enum SessionLockMode {
    /** A lock in Redis for the length of the request (taken with the load, released with the save): any node. */
    REDIS,
    /** A lock in this JVM only: enough when the balancer keeps a session on one node (sticky). */
    NODE,
    /** No lock and no version check: the last writer wins (what Spring Session and Redisson do). */
    NONE;

    public static SessionLockMode parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
