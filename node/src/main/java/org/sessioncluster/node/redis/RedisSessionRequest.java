package org.sessioncluster.node.redis;

import java.util.ArrayList;
import java.util.List;

/** The sessions one request has loaded or made, with the locks it holds on them, until its end. */
final class RedisSessionRequest {
    /** One session the request holds: the JVM lock under the id it was loaded by, the Redis lock token. */
    static final class Held {
        final RedisSession session;
        final String jvmLockId; // null when no JVM lock is held
        final String token; // "" when no Redis lock is held
        volatile boolean invalidated;

        Held(RedisSession session, String jvmLockId, String token) {
            this.session = session;
            this.jvmLockId = jvmLockId;
            this.token = token;
        }
    }

    private final List<Held> held = new ArrayList<>(2);
    private final boolean mayWrite;

    /** @param mayWrite false for a method that should not change state (GET, HEAD, OPTIONS, TRACE) */
    RedisSessionRequest(boolean mayWrite) {
        this.mayWrite = mayWrite;
    }

    boolean mayWrite() {
        return mayWrite;
    }

    Held add(RedisSession session, String jvmLockId, String token) {
        Held h = new Held(session, jvmLockId, token);
        held.add(h);
        return h;
    }

    /** The session held under its current id (ids change on login), or null. */
    Held find(String id) {
        for (Held h : held) {
            if (id.equals(h.session.getIdInternal())) {
                return h;
            }
        }
        return null;
    }

    Held find(RedisSession session) {
        for (Held h : held) {
            if (h.session == session) {
                return h;
            }
        }
        return null;
    }

    List<Held> all() {
        return held;
    }
}
