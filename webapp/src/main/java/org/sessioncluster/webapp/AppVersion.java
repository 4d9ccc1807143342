package org.sessioncluster.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version this app reports: the sysprop {@code sessioncluster.app.version} (or env APP_VERSION) when
 * set, else what the build wrote into app.properties ({@code -Dapp.version=...}, default the project's).
 */
final class AppVersion {
    static final String PROPERTY = "sessioncluster.app.version";
    static final String HEADER = "X-App-Version";
    private static final String VERSION = resolve();

    private AppVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String resolve() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv("APP_VERSION");
        }
        if (v != null && !v.isBlank()) {
            return v.trim();
        }
        Properties p = new Properties();
        try (InputStream in = AppVersion.class.getResourceAsStream("app.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String built = p.getProperty("version", "unknown");
        return built.startsWith("${") ? "unknown" : built;
    }
}
