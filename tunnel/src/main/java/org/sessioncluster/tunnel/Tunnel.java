package org.sessioncluster.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.logging.Logger;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * One SSH port forward that stays up until closed.
 * <ul>
 *   <li>{@link Direction#LOCAL} ({@code ssh -L}): this machine listens on the bind address; each
 *       connection is carried over SSH and the server dials the target (the way past a firewall that
 *       only opens port 22).</li>
 *   <li>{@link Direction#REMOTE} ({@code ssh -R}): the SSH server listens on the bind address; each
 *       connection there comes back over SSH and this machine dials the target (the way in to a
 *       machine that may only dial out).</li>
 * </ul>
 * When the SSH connection drops, it is rebuilt with exponential back-off; a local forward keeps its
 * port meanwhile and new connections wait for the tunnel to return.
 */
public final class Tunnel implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tunnel.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofMillis(250);

    public enum Direction {
        LOCAL,
        REMOTE
    }

    public enum State {
        UP,
        RECONNECTING,
        CLOSED
    }

    private final Direction direction;
    private final SshConnector connector;
    private final ForwardSpec spec;
    private final Duration maxBackoff;
    private final CountingRelay relay;
    private final Object lock = new Object();
    private final Thread supervisor;

    private ClientSession session;
    private InetSocketAddress sshSide; // LOCAL: MINA's listener for this session; REMOTE: the server's bound address
    private State state = State.RECONNECTING;
    private String lastError = "";
    private long reconnects;

    private Tunnel(Direction direction, SshConnector connector, ForwardSpec spec, Duration maxBackoff) {
        if (direction == Direction.REMOTE && spec.bindPort() == 0) {
            // MINA's client files the forward under the port it asked for, so a server-chosen port would
            // leave every incoming connection unmatched: the port must be known up front.
            throw new TunnelException(
                    TunnelException.Kind.BAD_INPUT,
                    "a remote forward needs an explicit port on the SSH server (-R " + spec + " asks for port 0)");
        }
        this.direction = direction;
        this.connector = connector;
        this.spec = spec;
        this.maxBackoff = maxBackoff;
        String name = direction == Direction.LOCAL ? "tunnel-L" : "tunnel-R";
        this.relay = direction == Direction.LOCAL
                ? new CountingRelay(spec.bindHost(), spec.bindPort(), this::awaitSshSide, name)
                : new CountingRelay(
                        "127.0.0.1", 0, () -> new InetSocketAddress(spec.targetHost(), spec.targetPort()), name);
        this.supervisor = new Thread(this::superviseQuietly, name + "-supervisor");
        supervisor.setDaemon(true);
    }

    /**
     * Opens the forward and returns once it carries traffic; throws a TunnelException with a message
     * for people when it cannot (bad key, unknown host key, port in use, server unreachable...).
     */
    public static Tunnel open(Direction direction, SshConnector connector, ForwardSpec spec, Duration maxBackoff) {
        Tunnel tunnel = new Tunnel(direction, connector, spec, maxBackoff);
        try {
            tunnel.connectAndForward();
        } catch (RuntimeException e) {
            tunnel.relay.close();
            throw e;
        }
        tunnel.supervisor.start();
        return tunnel;
    }

    private void connectAndForward() {
        ClientSession s = connector.connect();
        InetSocketAddress bound;
        try {
            if (direction == Direction.LOCAL) {
                ExplicitPortForwardingTracker t = s.createLocalPortForwardingTracker(
                        new SshdSocketAddress("127.0.0.1", 0),
                        new SshdSocketAddress(spec.targetHost(), spec.targetPort()));
                bound = t.getBoundAddress().toInetSocketAddress();
            } else {
                ExplicitPortForwardingTracker t = s.createRemotePortForwardingTracker(
                        new SshdSocketAddress(spec.bindHost(), spec.bindPort()),
                        new SshdSocketAddress("127.0.0.1", relay.address().getPort()));
                bound = new InetSocketAddress(
                        spec.bindHost(), t.getBoundAddress().getPort());
            }
        } catch (IOException | RuntimeException e) {
            SshConnector.closeQuietly(s);
            throw new TunnelException(
                    TunnelException.Kind.FORWARD_REFUSED,
                    (direction == Direction.LOCAL
                                    ? "could not open the local forward: "
                                    : "the SSH server " + connector.endpoint() + " refused to listen on "
                                            + spec.bindHost() + ":" + spec.bindPort()
                                            + " (in use there, or not allowed by the server): ")
                            + SshConnector.rootMessage(e),
                    e);
        }
        synchronized (lock) {
            session = s;
            sshSide = bound;
            state = State.UP;
            lastError = "";
            lock.notifyAll();
        }
        LOG.info(() -> describe() + " is up");
    }

    /** For the local relay: where MINA listens now, waiting (bounded) while the tunnel is rebuilt. */
    private InetSocketAddress awaitSshSide() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        synchronized (lock) {
            while (state != State.UP) {
                long left = deadline - System.nanoTime();
                if (state == State.CLOSED || left <= 0) {
                    throw new IOException("the SSH tunnel is " + state.name().toLowerCase()
                            + (lastError.isEmpty() ? "" : " (" + lastError + ")"));
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the SSH tunnel");
                }
            }
            return sshSide;
        }
    }

    private void superviseQuietly() {
        try {
            supervise();
        } catch (RuntimeException e) {
            LOG.severe(() -> describe() + ": supervisor stopped: " + e);
        }
    }

    private void supervise() {
        while (true) {
            ClientSession current;
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return;
                }
                current = session;
            }
            while (!current.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), Duration.ofSeconds(5))
                    .contains(ClientSessionEvent.CLOSED)) {
                synchronized (lock) {
                    if (state == State.CLOSED) {
                        return;
                    }
                }
            }
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return;
                }
                state = State.RECONNECTING;
                reconnects++;
            }
            LOG.warning(() -> "SSH connection to " + connector.endpoint() + " lost; reconnecting");
            reconnect();
        }
    }

    private void reconnect() {
        long delay = FIRST_RETRY.toMillis();
        while (true) {
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return;
                }
                try {
                    lock.wait(delay); // back-off; close() wakes us
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (state == State.CLOSED) {
                    return;
                }
            }
            try {
                connectAndForward();
                LOG.info(() -> describe() + ": reconnected");
                return;
            } catch (TunnelException e) {
                long next = Math.min(delay * 2, maxBackoff.toMillis());
                synchronized (lock) {
                    lastError = e.getMessage();
                }
                long wait = next;
                LOG.warning(() -> "reconnect to " + connector.endpoint() + " failed (" + e.getMessage()
                        + "); next try in " + wait + " ms");
                delay = next;
            }
        }
    }

    public Direction direction() {
        return direction;
    }

    public ForwardSpec spec() {
        return spec;
    }

    /** Where users connect: the local listener (LOCAL) or the port the SSH server opened (REMOTE). */
    public InetSocketAddress entrance() {
        if (direction == Direction.LOCAL) {
            return relay.address();
        }
        synchronized (lock) {
            return sshSide;
        }
    }

    public TunnelStats stats() {
        synchronized (lock) {
            return new TunnelStats(
                    state,
                    relay.connections(),
                    relay.openConnections(),
                    relay.bytesOut(),
                    relay.bytesIn(),
                    reconnects,
                    lastError);
        }
    }

    public String describe() {
        InetSocketAddress in = entrance();
        String entry = in == null ? spec.bindHost() + ":" + spec.bindPort() : in.getHostString() + ":" + in.getPort();
        return direction == Direction.LOCAL
                ? "local forward " + entry + " -> " + connector.endpoint() + " -> " + spec.targetHost() + ":"
                        + spec.targetPort()
                : "remote forward " + entry + " (on " + connector.endpoint().host() + ") -> here -> "
                        + spec.targetHost() + ":" + spec.targetPort();
    }

    @Override
    public void close() {
        ClientSession s;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            s = session;
            lock.notifyAll();
        }
        relay.close();
        if (s != null) {
            SshConnector.closeQuietly(s);
        }
        supervisor.interrupt();
        LOG.info(() -> describe() + " closed");
    }
}
