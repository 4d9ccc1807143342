package org.sessioncluster.node.mode;

import org.redisson.api.RedissonClient;
import org.redisson.tomcat.RedissonSessionManager;

/** Redisson's Tomcat session manager, with its client reachable for the replica sync after each write. */
final class SessionServerManager extends RedissonSessionManager {
    /** The manager's Redis client; null before the manager started. */
    RedissonClient client() {
        return redisson;
    }
}
