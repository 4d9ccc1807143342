package org.sessioncluster.tunnel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The written forms ssh takes on its command line (hosts, forwards, destinations), read one way. */
final class TextForms {
    /** A host name, an IPv4 address, or an IPv6 address in brackets. */
    static final String HOST = "(\\[[0-9A-Fa-f:]+]|[A-Za-z0-9._-]{1,253})";

    private TextForms() {}

    /** The matcher of the whole (trimmed) text, or a BAD_INPUT TunnelException saying what was expected. */
    static Matcher whole(Pattern form, String text, String notA, String expected) {
        Matcher m = form.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new TunnelException(
                    TunnelException.Kind.BAD_INPUT, "'" + text + "' is not " + notA + "; expected " + expected);
        }
        return m;
    }

    /** A host as written, without the brackets of an IPv6 address. */
    static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
