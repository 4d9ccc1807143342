package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for delta mode. */
class DeltaModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.DELTA;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }
}
