package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for backup mode. */
class BackupModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.BACKUP;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }
}
