package org.sessioncluster.ctl.modes;

import org.sessioncluster.config.SessionMode;

/** The session-mode contract for spring-session mode (Spring Session Data Redis around the unchanged WAR). */
class SpringSessionModeIT extends SessionModeContract {
    @Override
    SessionMode mode() {
        return SessionMode.SPRING_SESSION;
    }

    @Override
    boolean sessionsCrossNodes() {
        return true;
    }
}
