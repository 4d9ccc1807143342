package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import java.time.Duration;
import org.sessioncluster.tunnel.SshConnector;
import org.sessioncluster.tunnel.SshEndpoint;
import picocli.CommandLine.Option;

/** How to log in to an SSH server: shared by {@code tunnel local|remote} and {@code store inspect --via}. */
public class SshOptions {
    @Option(
            names = "--identity",
            paramLabel = "KEY",
            description = "private key to log in with (OpenSSH or PEM, no passphrase)")
    Path identity;

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "known_hosts file that must list the server's host key" + " (default: ~/.ssh/known_hosts)")
    Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");

    @Option(
            names = "--accept-new-host-key",
            description = "trust a server seen for the first time and add its key to known_hosts"
                    + " (a changed key is still refused)")
    boolean acceptNewHostKey;

    SshConnector connector(String via) {
        if (identity == null) {
            throw new org.sessioncluster.tunnel.TunnelException(
                    org.sessioncluster.tunnel.TunnelException.Kind.BAD_INPUT,
                    "--identity KEY is needed with --via (only public-key login is supported)");
        }
        return new SshConnector(SshEndpoint.parse(via), identity, knownHosts, acceptNewHostKey, Duration.ofSeconds(15));
    }
}
