package org.sessioncluster.config;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One key of cluster.properties: its name, default, a check of its value and the words that say what
 * the check allows (used in error messages and in {@code cluster-config/README.md}).
 */
record ConfigKey(String name, String defaultValue, String allowed, Predicate<String> check) {

    static ConfigKey integer(String name, int defaultValue, int min, int max) {
        return new ConfigKey(name, Integer.toString(defaultValue), "a whole number from " + min + " to " + max, v -> {
            try {
                int i = Integer.parseInt(v.trim());
                return i >= min && i <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        });
    }

    static ConfigKey bool(String name, boolean defaultValue) {
        return new ConfigKey(
                name,
                Boolean.toString(defaultValue),
                "true or false",
                v -> v.trim().equalsIgnoreCase("true") || v.trim().equalsIgnoreCase("false"));
    }

    static ConfigKey oneOf(String name, String defaultValue, String... values) {
        return new ConfigKey(name, defaultValue, String.join(", ", values), v -> {
            for (String allowed : values) {
                if (allowed.equals(v.trim())) {
                    return true;
                }
            }
            return false;
        });
    }

    static ConfigKey text(String name, String defaultValue, String allowed, Predicate<String> check) {
        return new ConfigKey(name, defaultValue, allowed, check);
    }

    /** Text whose whole (trimmed) value has the form. */
    static ConfigKey matching(String name, String defaultValue, String allowed, Pattern form) {
        return new ConfigKey(
                name, defaultValue, allowed, v -> form.matcher(v.trim()).matches());
    }

    /** Empty (the default, which {@code allowed} explains), or text of the form. */
    static ConfigKey emptyOr(String name, String allowed, Pattern form) {
        return new ConfigKey(
                name, "", allowed, v -> v.isBlank() || form.matcher(v.trim()).matches());
    }

    /** Any text, a path or JVM options: what uses it says what is wrong with it. */
    static ConfigKey anyText(String name, String defaultValue, String allowed) {
        return new ConfigKey(name, defaultValue, allowed, v -> true);
    }

    /** A host name or address: no spaces, and not empty unless {@code emptyAllowed}. */
    static ConfigKey host(String name, String defaultValue, String allowed, boolean emptyAllowed) {
        return new ConfigKey(
                name,
                defaultValue,
                allowed,
                v -> (emptyAllowed || !v.isBlank()) && !v.trim().contains(" "));
    }
}
