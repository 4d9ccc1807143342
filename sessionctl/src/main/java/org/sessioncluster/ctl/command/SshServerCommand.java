package org.sessioncluster.ctl.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.tunnel.server.DemoKeys;
import org.sessioncluster.tunnel.server.DemoSshServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl ssh-server}: the demo bastion, so the SSH stories run on one machine. */
@Command(
        name = "ssh-server",
        mixinStandardHelpOptions = true,
        description =
                "Run a small SSH server (the demo bastion): key login only, no shell; local forwards only to the --allow"
                        + " destinations, remote forwards only on loopback. Makes its keys, authorized_keys and a known_hosts line in --dir.")
public class SshServerCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "run/ssh", description = "folder of the keys (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(
            names = "--port",
            defaultValue = "2222",
            description = "port to listen on (default: ${DEFAULT-VALUE}; 0 = a free one)")
    int port;

    @Option(
            names = "--allow",
            paramLabel = "HOST:PORT",
            split = ",",
            description = "a destination local forwards may reach (repeatable)")
    List<String> allow = new ArrayList<>();

    @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long (default: until Ctrl-C)")
    Duration runFor;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (port < 0 || port > 65535) {
            throw new BadInputException("--port " + port + " is not allowed; allowed: 0 to 65535 (0 = a free one)");
        }
        for (String a : allow) {
            if (!a.matches("[A-Za-z0-9._-]+:\\d{1,5}")
                    || Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)) > 65535) {
                throw new org.sessioncluster.tunnel.TunnelException(
                        org.sessioncluster.tunnel.TunnelException.Kind.BAD_INPUT,
                        "--allow '" + a + "' is not HOST:PORT (e.g. 127.0.0.1:6379)");
            }
        }
        DemoKeys keys = DemoKeys.init(dir);
        try (DemoSshServer server = new DemoSshServer(host, port, keys, allow)) {
            try {
                server.start();
            } catch (java.net.BindException e) {
                throw new org.sessioncluster.tunnel.TunnelException(
                        org.sessioncluster.tunnel.TunnelException.Kind.PORT_IN_USE,
                        "cannot listen on " + host + ":" + port + ": the port is in use; pick another with --port",
                        e);
            }
            keys.writeKnownHosts(host, server.port());
            out.println("demo SSH server on " + host + ":" + server.port() + ", host key " + keys.hostKeyFingerprint());
            out.println("  client key:      " + keys.clientKey());
            out.println("  known_hosts:     " + keys.knownHosts());
            out.println("  local forwards:  "
                    + (allow.isEmpty() ? "none allowed (--allow HOST:PORT)" : String.join(", ", allow)));
            out.println("  try: scripts/sessionctl tunnel local --via demo@" + host + ":" + server.port()
                    + " --identity " + keys.clientKey() + " --known-hosts " + keys.knownHosts() + " -L 0:"
                    + (allow.isEmpty() ? "HOST:PORT" : allow.get(0)));
            out.flush();
            UntilStopped.run(runFor, Duration.ofSeconds(1), () -> {});
            out.println("stopping the demo SSH server");
        }
        return 0;
    }
}
