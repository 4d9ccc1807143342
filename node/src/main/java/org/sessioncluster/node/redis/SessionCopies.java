package org.sessioncluster.node.redis;

import java.util.Locale;

/** What a node keeps of the sessions it served ({@code redis.session.cache}, the manager's {@code cacheSessions}). */
enum SessionCopies {
    /** Copies served again without asking Redis until the touch interval passes; another node's write drops them. */
    TRUSTED("true", "copies kept on this node (sticky)"),
    /**
     * Copies whose version is checked with Redis on every request: one round trip whose answer carries the
     * session only when the copy is no longer current; no message when another node writes, one when it logs the
     * session out or renames it (else the copy would stay until it idles out).
     */
    VERIFIED("verify", "copies kept on this node and their version checked on every request"),
    /** Nothing: every request loads its session whole. */
    NONE("false", "loaded on every request");

    private final String value;
    private final String description;

    SessionCopies(String value, String description) {
        this.value = value;
        this.description = description;
    }

    static SessionCopies parse(String text) {
        String v = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (SessionCopies c : values()) {
            if (c.value.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("cacheSessions must be true, verify or false, not '" + text + "'");
    }

    boolean kept() {
        return this != NONE;
    }

    /** Whether another node's write (not only a logout or rename) must be announced to drop this node's copies. */
    boolean needMessages() {
        return this == TRUSTED;
    }

    String describe() {
        return description;
    }
}
