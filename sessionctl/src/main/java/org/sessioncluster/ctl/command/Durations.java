package org.sessioncluster.ctl.command;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sessioncluster.ctl.cluster.LaunchException;

/** Reads durations as people write them: 500ms, 30s, 2m, 1h (a bare number is seconds). */
final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private Durations() {}

    static Duration parse(String option, String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new LaunchException(
                    option + " = '" + text + "' is not a duration; allowed: a number with ms, s, m or h (e.g. 30s)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
