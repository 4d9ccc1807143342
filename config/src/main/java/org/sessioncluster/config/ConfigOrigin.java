package org.sessioncluster.config;

import java.util.Set;

/**
 * Where a config's values come from, for its error messages: a file, and the keys given on the command line over
 * it ({@code --set}, and options such as {@code --mode} or {@code --nodes}). A bad value typed on the command line
 * is not blamed on the file, where the user would look for it in vain.
 *
 * @param file  the file's name
 * @param given the keys given on the command line
 */
record ConfigOrigin(String file, Set<String> given) {
    static final String COMMAND_LINE = "the command line";

    ConfigOrigin {
        given = Set.copyOf(given);
    }

    /** Where this key's value comes from. */
    String of(String key) {
        return given.contains(key) ? COMMAND_LINE : file;
    }

    /** Where the values come from together: for the checks of several keys at once. */
    String all() {
        return given.isEmpty() ? file : file + " and " + COMMAND_LINE;
    }
}
