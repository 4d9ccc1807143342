package org.sessioncluster.tunnel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One forward as ssh writes it: {@code [bind:]port:target:targetPort}. For {@code -L} the bind side is
 * on this machine and the target is dialled by the SSH server; for {@code -R} the bind side is on the
 * SSH server and the target is dialled from here. The bind address defaults to loopback (like OpenSSH
 * without GatewayPorts), so a forward is never opened to the network by accident.
 */
public record ForwardSpec(String bindHost, int bindPort, String targetHost, int targetPort) {
    private static final Pattern FORM =
            Pattern.compile("(?:" + TextForms.HOST + ":)?(\\d{1,5}):" + TextForms.HOST + ":(\\d{1,5})");

    public static ForwardSpec parse(String text) {
        Matcher m = TextForms.whole(
                FORM, text, "a forward", "[bind:]port:target-host:target-port (e.g. 16379:127.0.0.1:6379)");
        String bind = m.group(1) == null ? "127.0.0.1" : TextForms.unbracket(m.group(1));
        return new ForwardSpec(
                bind, port(m.group(2), text, true), TextForms.unbracket(m.group(3)), port(m.group(4), text, false));
    }

    private static int port(String digits, String text, boolean zeroAllowed) {
        int p = Integer.parseInt(digits);
        if (p > 65535 || (p == 0 && !zeroAllowed)) {
            throw new TunnelException(
                    TunnelException.Kind.BAD_INPUT,
                    "port " + p + " in '" + text + "' is out of range " + (zeroAllowed ? "0" : "1") + "..65535");
        }
        return p;
    }

    @Override
    public String toString() {
        return bindHost + ":" + bindPort + ":" + targetHost + ":" + targetPort;
    }
}
