package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for disk mode: a FileStore shared by all nodes. */
class DiskModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.DISK;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }
}
