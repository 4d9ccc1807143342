package org.sessioncluster.tunnel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.forward.AgentForwardingFilter;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.X11ForwardingFilter;

/**
 * Opens authenticated SSH sessions to one server: public-key auth only (no passwords, no agent, no
 * keys picked up from ~/.ssh behind the user's back), host key checked against known_hosts, and a
 * heartbeat so a dead connection is noticed within seconds rather than at the next write.
 */
public final class SshConnector implements AutoCloseable {
    private final SshEndpoint endpoint;
    private final Path identity;
    private final KeyPair key;
    private final HostKeyCheck hostKeys;
    private final Duration timeout;
    private final SshClient client;

    public SshConnector(
            SshEndpoint endpoint, Path identity, Path knownHosts, boolean acceptNewHostKey, Duration timeout) {
        this.endpoint = endpoint;
        this.identity = identity;
        this.key = loadKey(identity);
        this.hostKeys = new HostKeyCheck(knownHosts, acceptNewHostKey);
        this.timeout = timeout;
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys.verifier());
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY); // ~/.ssh/config must not change where we go
        // MINA checks a client-side filter too: our forwards only ever listen on, and (for -R) dial,
        // the loopback relays of this process; refuse anything else the server may ask for.
        client.setForwardingFilter(ForwardingFilter.asForwardingFilter(
                AgentForwardingFilter.of(false), X11ForwardingFilter.of(false), new TcpForwardingFilter() {
                    @Override
                    public boolean canListen(SshdSocketAddress address, Session session) {
                        return isLoopback(address);
                    }

                    @Override
                    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                        return isLoopback(address);
                    }
                }));
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(2));
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, Duration.ofSeconds(2));
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        client.start();
    }

    private static KeyPair loadKey(Path identity) {
        if (!Files.isRegularFile(identity)) {
            throw new TunnelException(
                    TunnelException.Kind.BAD_INPUT,
                    "identity file " + identity + " does not exist (give a private key with --identity)");
        }
        List<KeyPair> keys = new ArrayList<>();
        try {
            new FileKeyPairProvider(identity).loadKeys(null).forEach(keys::add);
        } catch (RuntimeException e) {
            throw new TunnelException(
                    TunnelException.Kind.BAD_INPUT,
                    "cannot read the private key in " + identity
                            + " (an OpenSSH or PEM key without a passphrase is needed): " + rootMessage(e),
                    e);
        }
        if (keys.isEmpty()) {
            throw new TunnelException(TunnelException.Kind.BAD_INPUT, identity + " holds no private key");
        }
        return keys.get(0);
    }

    public SshEndpoint endpoint() {
        return endpoint;
    }

    /** A logged-in session, or a TunnelException that says what went wrong. */
    public ClientSession connect() {
        hostKeys.takeRefusal();
        ClientSession session;
        try {
            session = client.connect(endpoint.user(), endpoint.host(), endpoint.port())
                    .verify(timeout)
                    .getSession();
        } catch (IOException | RuntimeException e) {
            throw new TunnelException(
                    TunnelException.Kind.CONNECT,
                    "cannot reach the SSH server " + endpoint.host() + ":" + endpoint.port() + ": " + rootMessage(e),
                    e);
        }
        try {
            session.addPublicKeyIdentity(key);
            session.auth().verify(timeout);
            return session;
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            String refusal = hostKeys.takeRefusal();
            if (refusal != null) {
                throw new TunnelException(
                        TunnelException.Kind.HOST_KEY, "refusing to connect to " + endpoint + ": " + refusal, e);
            }
            if (isAuthFailure(e)) {
                throw new TunnelException(
                        TunnelException.Kind.AUTH,
                        "the SSH server " + endpoint + " refused the key in " + identity
                                + " (" + KeyUtils.getFingerPrint(key.getPublic()) + ") for user '" + endpoint.user()
                                + "'; add its public key to the server's authorized_keys",
                        e);
            }
            throw new TunnelException(
                    TunnelException.Kind.CONNECT, "SSH login to " + endpoint + " failed: " + rootMessage(e), e);
        }
    }

    private static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase();
            if (m.contains("authentication") || m.contains("no more auth")) {
                return true;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return false;
            }
        }
        return false;
    }

    private static boolean isLoopback(SshdSocketAddress address) {
        return SshdSocketAddress.isLoopback(address.getHostName()) || "localhost".equals(address.getHostName());
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return (m == null || m.isBlank()) ? t.getClass().getSimpleName() : m;
    }

    static void closeQuietly(ClientSession session) {
        try {
            session.close(true);
        } catch (RuntimeException ignored) {
            // closing a broken session: nothing left to do
        }
    }

    @Override
    public void close() {
        client.stop();
    }
}
