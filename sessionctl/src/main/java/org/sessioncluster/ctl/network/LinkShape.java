package org.sessioncluster.ctl.network;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every link of a {@link NetworkLab} carries: a rate in bits per second and a one-way delay (0 = none).
 * A message between two members crosses two links (sender to bridge, bridge to receiver), as between two
 * machines on one switch.
 */
public record LinkShape(long bitsPerSecond, long delayMicros) {
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(kbit|mbit|gbit)");
    private static final Pattern DELAY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms)");

    public LinkShape {
        if (bitsPerSecond < 8_000 || bitsPerSecond > 100_000_000_000L) {
            throw new IllegalArgumentException("a link rate from 8kbit to 100gbit, not " + bitsPerSecond + " bit/s");
        }
        if (delayMicros < 0 || delayMicros > 10_000_000) {
            throw new IllegalArgumentException("a link delay from 0 to 10 s, not " + delayMicros + " µs");
        }
    }

    /** "100mbit", "1gbit", "500kbit". */
    public static long parseRate(String text) {
        return scaled(
                text,
                RATE,
                "a link rate; expected a number with kbit, mbit or gbit (e.g. 100mbit)",
                Map.of("kbit", 1e3, "mbit", 1e6, "gbit", 1e9));
    }

    /** "0.2ms", "200us", "0ms". */
    public static long parseDelayMicros(String text) {
        return scaled(
                text,
                DELAY,
                "a link delay; expected a number with us or ms (e.g. 0.2ms)",
                Map.of("us", 1.0, "ms", 1e3));
    }

    /** A number and its unit, in the smallest unit, rounded. */
    private static long scaled(String text, Pattern form, String notA, Map<String, Double> units) {
        Matcher m = form.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not " + notA);
        }
        return Math.round(Double.parseDouble(m.group(1)) * units.get(m.group(2)));
    }

    /** As tc writes it: "100mbit". */
    public String rateText() {
        if (bitsPerSecond % 1_000_000_000L == 0) {
            return bitsPerSecond / 1_000_000_000L + "gbit";
        }
        if (bitsPerSecond % 1_000_000L == 0) {
            return bitsPerSecond / 1_000_000L + "mbit";
        }
        return Math.max(1, bitsPerSecond / 1000) + "kbit";
    }

    /** As tc writes it: "200us". */
    public String delayText() {
        return delayMicros + "us";
    }

    @Override
    public String toString() {
        return rateText()
                + (delayMicros == 0
                        ? ""
                        : ", " + String.format(Locale.ROOT, "%.1f ms", delayMicros / 1000.0) + " one way");
    }
}
