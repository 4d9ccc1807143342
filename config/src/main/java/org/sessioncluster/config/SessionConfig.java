package org.sessioncluster.config;

/**
 * The {@code session.*} keys besides the mode: how long sessions live, what they may hold, where the disk mode
 * keeps them.
 *
 * @param timeoutMinutes  idle minutes before a session expires
 * @param allowedClasses  the regular expression class names in session data must match (Tomcat's filter, the Redis
 *                        codec's allow-list); the built-in list when the key is empty
 * @param payloadMaxBytes the largest session payload a request may store
 * @param storeDir        the shared session folder of the disk mode; empty until sessionctl (or the operator) sets one
 * @param storeFsync      disk mode: force each saved session file to the device before the request answers
 */
public record SessionConfig(
        int timeoutMinutes, String allowedClasses, int payloadMaxBytes, String storeDir, boolean storeFsync) {

    static SessionConfig read(ClusterConfig c) {
        String allowed = c.get("session.allowed.classes");
        return new SessionConfig(
                c.getInt("session.timeout.minutes"),
                allowed.isEmpty() ? ConfigKeys.DEFAULT_ALLOWED_CLASSES : allowed,
                c.getInt("session.payload.max.bytes"),
                c.get("session.store.dir"),
                c.getBoolean("session.store.fsync"));
    }
}
