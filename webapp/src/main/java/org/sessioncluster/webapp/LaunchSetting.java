package org.sessioncluster.webapp;

import java.util.Optional;

/** A value given to the app by whoever starts its container: a system property, else an environment variable. */
final class LaunchSetting {
    private LaunchSetting() {}

    /** The property's value, else the environment variable's, trimmed; empty when neither is set to something. */
    static Optional<String> of(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
