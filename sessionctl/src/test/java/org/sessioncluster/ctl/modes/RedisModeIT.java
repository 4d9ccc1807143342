package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for redis mode. */
class RedisModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.REDIS;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }
}
