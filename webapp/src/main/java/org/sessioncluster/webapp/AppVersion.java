package org.sessioncluster.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version this app reports: the sysprop {@code sessioncluster.app.version} (or env APP_VERSION) when
 * set, else what the build wrote into app.properties ({@code -Dapp.version=...}, default the project's).
 * The same file may say {@code failure.rate} (0 to 1): a deliberately broken build that answers that share
 * of its requests with a 500, for canary demos and tests ({@code sessionctl make-war --failure-rate}).
 */
final class AppVersion {
    static final String PROPERTY = "sessioncluster.app.version";
    static final String HEADER = "X-App-Version";
    static final String FAILURE_RATE_PROPERTY = "sessioncluster.app.failure-rate";
    private static final Properties BUILT = built();
    private static final String VERSION = resolve();
    private static final double FAILURE_RATE = failureRate();

    private AppVersion() {}

    static String get() {
        return VERSION;
    }

    private static String resolve() {
        return LaunchSetting.of(PROPERTY, "APP_VERSION").orElseGet(() -> {
            String built = BUILT.getProperty("version", "unknown");
            return built.startsWith("${") ? "unknown" : built;
        });
    }

    /** The share of requests this build fails on purpose: 0 for every normal build. */
    static double failureRateValue() {
        return FAILURE_RATE;
    }

    private static double failureRate() {
        String v = System.getProperty(FAILURE_RATE_PROPERTY, BUILT.getProperty("failure.rate", "0"));
        try {
            double rate = Double.parseDouble(v.trim());
            return rate > 0 && rate <= 1 ? rate : 0;
        } catch (NumberFormatException e) {
            return 0; // a filter placeholder or a typo: never break the app by accident
        }
    }

    private static Properties built() {
        Properties p = new Properties();
        try (InputStream in = AppVersion.class.getResourceAsStream("app.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build info: the version reads "unknown"
        }
        return p;
    }
}
