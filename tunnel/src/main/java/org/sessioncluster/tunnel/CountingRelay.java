package org.sessioncluster.tunnel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A plain TCP relay that counts connections and bytes. The tunnels put it on the side the user sees,
 * so the listening port stays the same while the SSH connection behind it is rebuilt (MINA's own
 * forward listeners die with their session), and so every forward reports what it carried.
 */
final class CountingRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CountingRelay.class.getName());

    /** Where the next connection goes; may wait for a reconnecting tunnel, or fail. */
    interface Upstream {
        InetSocketAddress resolve() throws IOException;
    }

    private final ServerSocket listener;
    private final Upstream upstream;
    private final String name;
    private final ExecutorService threads;
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private volatile boolean closed;

    CountingRelay(String bindHost, int bindPort, Upstream upstream, String name) {
        this.upstream = upstream;
        this.name = name;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(bindHost, bindPort), 128);
        } catch (BindException e) {
            throw new TunnelException(
                    TunnelException.Kind.PORT_IN_USE,
                    "cannot listen on " + bindHost + ":" + bindPort
                            + ": the port is in use (or the address is not on this machine); pick another port",
                    e);
        } catch (IOException e) {
            throw new TunnelException(
                    TunnelException.Kind.PORT_IN_USE,
                    "cannot listen on " + bindHost + ":" + bindPort + ": " + e.getMessage(),
                    e);
        }
        threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-relay");
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    long connections() {
        return connections.get();
    }

    int openConnections() {
        return open.size();
    }

    long bytesOut() {
        return bytesOut.get();
    }

    long bytesIn() {
        return bytesIn.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                threads.execute(() -> relay(client));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warning(() -> name + ": accept failed: " + e.getMessage());
                }
            }
        }
    }

    /** One relayed connection: two pumps; the second to end closes both sockets. */
    private final class Link {
        final Socket client;
        final Socket target;
        final AtomicInteger pumpsLeft = new AtomicInteger(2);

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void pumpEnded() {
            if (pumpsLeft.decrementAndGet() == 0) {
                closeBoth();
            }
        }

        void closeBoth() {
            open.remove(this);
            close(client);
            close(target);
        }
    }

    private void relay(Socket client) {
        Socket target = new Socket();
        try {
            InetSocketAddress to = upstream.resolve();
            target.connect(to, 5_000);
            client.setTcpNoDelay(true);
            target.setTcpNoDelay(true);
        } catch (IOException e) {
            LOG.warning(() ->
                    name + ": connection from " + client.getRemoteSocketAddress() + " dropped: " + e.getMessage());
            close(client);
            close(target);
            return;
        }
        connections.incrementAndGet();
        Link link = new Link(client, target);
        open.add(link);
        if (closed) {
            link.closeBoth();
            return;
        }
        threads.execute(() -> pump(link, target, client, bytesIn));
        pump(link, client, target, bytesOut);
    }

    /** Copies one direction; at EOF half-closes the other side so the peer sees EOF too. */
    private void pump(Link link, Socket from, Socket to, AtomicLong counter) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                counter.addAndGet(n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            link.closeBoth(); // one side broke: the other pump ends on its closed socket
        } finally {
            link.pumpEnded();
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(Link::closeBoth);
        threads.shutdownNow();
    }
}
