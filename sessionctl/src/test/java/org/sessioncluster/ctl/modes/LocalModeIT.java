package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for local mode. */
class LocalModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.LOCAL;
    }

    @Override
    boolean sessionsCrossNodes() {
        return false;
    }
}
