package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for redisson mode (Redisson's stock Tomcat manager). */
class RedissonModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.REDISSON;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }
}
