package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.sessioncluster.tunnel.ForwardSpec;
import org.sessioncluster.tunnel.SshConnector;
import org.sessioncluster.tunnel.Tunnel;
import org.sessioncluster.tunnel.TunnelStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl tunnel local|remote}: an SSH port forward that stays up until stopped. */
@Command(
        name = "tunnel",
        mixinStandardHelpOptions = true,
        description =
                "SSH port forwarding: 'local' (-L) reaches a service behind a bastion, 'remote' (-R) exposes a service here"
                        + " on the SSH server. Public-key login only; the server's host key must be in known_hosts.",
        subcommands = {TunnelCommand.Local.class, TunnelCommand.Remote.class})
public class TunnelCommand {

    /** What both directions share: where to log in, how long to run, how often to report. */
    abstract static class Forward implements Callable<Integer> {
        @Option(
                names = "--via",
                required = true,
                paramLabel = "USER@HOST[:PORT]",
                description = "the SSH server (bastion)")
        String via;

        @Mixin
        SshOptions ssh;

        @Option(
                names = "--stats-every",
                defaultValue = "5s",
                description = "print what the tunnel carried this often, when it changed"
                        + " (default: ${DEFAULT-VALUE}; 0 = never)")
        Duration statsEvery;

        @Option(
                names = "--max-backoff",
                defaultValue = "30s",
                description = "longest wait between reconnect attempts (default: ${DEFAULT-VALUE})")
        Duration maxBackoff;

        @Option(names = "--for", paramLabel = "DURATION", description = "stop after this long (default: until Ctrl-C)")
        Duration runFor; // null: until stopped

        @Spec
        CommandSpec spec;

        abstract Tunnel.Direction direction();

        abstract String forward();

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            ForwardSpec forwardSpec = ForwardSpec.parse(forward());
            try (SshConnector connector = ssh.connector(via);
                    Tunnel tunnel = Tunnel.open(direction(), connector, forwardSpec, maxBackoff)) {
                out.println("forwarding: " + tunnel.describe());
                out.println(
                        direction() == Tunnel.Direction.LOCAL
                                ? "connect to " + tunnel.entrance().getHostString() + ":"
                                        + tunnel.entrance().getPort() + " here; Ctrl-C stops"
                                : "connections to " + tunnel.entrance().getHostString() + ":"
                                        + tunnel.entrance().getPort() + " on "
                                        + connector.endpoint().host() + " reach " + forwardSpec.targetHost() + ":"
                                        + forwardSpec.targetPort() + " from here; Ctrl-C stops");
                out.flush();
                String[] last = {""};
                UntilStopped.run(runFor, statsEvery.isZero() ? Duration.ofSeconds(1) : statsEvery, () -> {
                    String line = tunnel.stats().line();
                    if (!statsEvery.isZero() && !line.equals(last[0])) {
                        out.println(line);
                        out.flush();
                        last[0] = line;
                    }
                });
                TunnelStats end = tunnel.stats();
                out.println("stopped; " + end.line());
            }
            return 0;
        }
    }

    @Command(
            name = "local",
            mixinStandardHelpOptions = true,
            description =
                    "Like ssh -L: listen here and carry each connection to TARGET:TPORT as the SSH server sees it.")
    public static class Local extends Forward {
        @Option(
                names = "-L",
                required = true,
                paramLabel = "[BIND:]PORT:TARGET:TPORT",
                description = "e.g. 16379:10.0.0.5:6379 (bind defaults to 127.0.0.1; PORT 0 picks a free one)")
        String forward;

        @Override
        Tunnel.Direction direction() {
            return Tunnel.Direction.LOCAL;
        }

        @Override
        String forward() {
            return forward;
        }
    }

    @Command(
            name = "remote",
            mixinStandardHelpOptions = true,
            description =
                    "Like ssh -R: the SSH server listens on [BIND:]PORT and each connection there reaches TARGET:TPORT from here.")
    public static class Remote extends Forward {
        @Option(
                names = "-R",
                required = true,
                paramLabel = "[BIND:]PORT:TARGET:TPORT",
                description = "e.g. 18081:127.0.0.1:8081 (bind defaults to 127.0.0.1 on the server)")
        String forward;

        @Override
        Tunnel.Direction direction() {
            return Tunnel.Direction.REMOTE;
        }

        @Override
        String forward() {
            return forward;
        }
    }
}
