package org.sessioncluster.config;

import java.util.function.Predicate;

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
}
