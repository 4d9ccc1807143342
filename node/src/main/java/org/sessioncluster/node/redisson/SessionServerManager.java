package org.sessioncluster.node.redisson;

import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.redisson.api.RedissonClient;
import org.redisson.tomcat.RedissonSessionManager;
import org.sessioncluster.node.redis.RedisConnectProblem;

/**
 * Redisson's Tomcat session manager, with its client reachable for the replica sync after each write, and
 * a start failure put in words: a wrong password or an untrusted certificate says so instead of a stack trace.
 */
final class SessionServerManager extends RedissonSessionManager {
    private static final Logger LOG = Logger.getLogger(SessionServerManager.class.getName());
    private final String where;
    private final boolean passwordGiven;
    private volatile String startProblem;

    SessionServerManager(String where, boolean passwordGiven) {
        this.where = where;
        this.passwordGiven = passwordGiven;
    }

    /** The manager's Redis client; null before the manager started. */
    RedissonClient client() {
        return redisson;
    }

    /** Why the manager did not start, in words; null when it started or nothing is known. */
    String startProblem() {
        return startProblem;
    }

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        try {
            super.startInternal();
        } catch (LifecycleException | RuntimeException e) {
            startProblem = RedisConnectProblem.describe(e, where, passwordGiven);
            LOG.severe(startProblem);
            throw e;
        }
    }
}
