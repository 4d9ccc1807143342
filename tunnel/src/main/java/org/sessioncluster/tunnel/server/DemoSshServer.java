package org.sessioncluster.tunnel.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.forward.AgentForwardingFilter;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.X11ForwardingFilter;

/**
 * The demo bastion. It lets in only the keys in its authorized_keys file (no passwords, no shell);
 * a local forward ({@code -L}) may reach only the destinations listed in {@code allowed}, and a remote
 * forward ({@code -R}) may listen only on loopback. It counts the forwards it opened per destination,
 * so a test can prove that traffic went through it.
 */
public final class DemoSshServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DemoSshServer.class.getName());

    private final SshServer server;
    private final List<String> allowed;
    private final Map<String, AtomicLong> forwardsByTarget = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param allowed destinations a local forward may reach, as {@code host:port}
     */
    public DemoSshServer(String host, int port, DemoKeys keys, List<String> allowed) {
        this.allowed = List.copyOf(allowed);
        server = SshServer.setUpDefaultServer();
        server.setHost(host);
        server.setPort(port);
        server.setKeyPairProvider(new FileKeyPairProvider(keys.hostKey()));
        server.setPublickeyAuthenticator(authorizedKeys(keys.authorizedKeys()));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setForwardingFilter(ForwardingFilter.asForwardingFilter(
                AgentForwardingFilter.of(false), X11ForwardingFilter.of(false), new TcpForwardingFilter() {
                    @Override
                    public boolean canListen(SshdSocketAddress address, Session session) {
                        boolean ok = isLoopback(address.getHostName());
                        LOG.info(() -> (ok ? "allowing" : "refusing") + " a remote forward on " + address + " for "
                                + session.getUsername());
                        return ok;
                    }

                    @Override
                    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
                        String target = address.getHostName() + ":" + address.getPort();
                        if (DemoSshServer.this.allowed.contains(target)) {
                            forwardsByTarget
                                    .computeIfAbsent(target, k -> new AtomicLong())
                                    .incrementAndGet();
                            return true;
                        }
                        refused.incrementAndGet();
                        LOG.warning(() ->
                                "refusing a forward to " + target + " (allowed: " + DemoSshServer.this.allowed + ")");
                        return false;
                    }
                }));
    }

    /**
     * The keys of authorized_keys, read once at start. (MINA's file-watching authenticator reloads the
     * file per login and, with several clients logging in at once, refused some of them.)
     */
    private static PublickeyAuthenticator authorizedKeys(Path file) {
        try {
            return PublickeyAuthenticator.fromAuthorizedEntries(
                    file, null, AuthorizedKeyEntry.readAuthorizedKeys(file), PublicKeyEntryResolver.FAILING);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public DemoSshServer start() throws IOException {
        server.start();
        LOG.info(() ->
                "demo SSH server listening on " + server.getHost() + ":" + port() + "; forwards allowed to " + allowed);
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** How many forwarded connections were opened to {@code host:port}. */
    public long forwardsTo(String target) {
        AtomicLong n = forwardsByTarget.get(target);
        return n == null ? 0 : n.get();
    }

    public long refusedForwards() {
        return refused.get();
    }

    /** Drops every logged-in client at once, as a network failure would. */
    public int dropSessions() {
        List<? extends Session> sessions = List.copyOf(server.getActiveSessions());
        sessions.forEach(s -> s.close(true));
        return sessions.size();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
