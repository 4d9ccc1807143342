package org.sessioncluster.tunnel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Who to log in as and where: {@code user@host[:port]} (port 22 when left out). */
public record SshEndpoint(String user, String host, int port) {
    private static final Pattern FORM =
            Pattern.compile("([A-Za-z0-9._-]{1,64})@" + TextForms.HOST + "(?::(\\d{1,5}))?");

    public static SshEndpoint parse(String text) {
        Matcher m = TextForms.whole(
                FORM, text, "an SSH destination", "user@host or user@host:port (e.g. demo@127.0.0.1:2222)");
        String host = TextForms.unbracket(m.group(2));
        int port = m.group(3) == null ? 22 : Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            throw new TunnelException(TunnelException.Kind.BAD_INPUT, "SSH port " + port + " is out of range 1..65535");
        }
        return new SshEndpoint(m.group(1), host, port);
    }

    @Override
    public String toString() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
