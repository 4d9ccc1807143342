package org.sessioncluster.ctl.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A TCP proxy in front of a server (Redis) that can make the server slow: while a delay is set, every chunk the
 * server answers reaches the client that much later, in order, as from a server that takes that long per reply.
 * What clients send passes at once. A kernel qdisc (netem) would delay the whole link; this delays replies
 * only, and works where the kernel has no netem.
 *
 * <p>Each connection takes three daemon threads (client to server, server to queue, queue to client); the
 * proxy is for a handful of connections (a cluster's nodes to one Redis), not for load of its own.
 */
public final class DelayingProxy implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DelayingProxy.class.getName());
    private static final byte[] END = new byte[0];

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private volatile long delayNanos;
    private volatile long jitterNanos;
    private final AtomicLong delayedReplies = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private DelayingProxy(ServerSocket listener, InetSocketAddress server) {
        this.listener = listener;
        this.server = server;
    }

    /** Listens on {@code host} (a free port) and forwards every connection to {@code serverHost:serverPort}. */
    public static DelayingProxy start(String host, String serverHost, int serverPort) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(host, 0), 64);
        DelayingProxy proxy = new DelayingProxy(listener, new InetSocketAddress(serverHost, serverPort));
        Thread accept = new Thread(proxy::acceptLoop, "delaying-proxy-accept-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
        return proxy;
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on every reply is held this long (zero: passes at once; replies already held keep theirs). */
    public void setDelay(Duration delay) {
        setDelay(delay, Duration.ZERO);
    }

    /**
     * From now on every reply is held {@code delay} and a random part of {@code jitter} more, drawn per reply;
     * replies still leave in the order they came (a reply never overtakes the one before it, as on one TCP
     * connection).
     */
    public void setDelay(Duration delay, Duration jitter) {
        if (delay.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("a delay and jitter of 0 or more, not " + delay + " and " + jitter);
        }
        jitterNanos = jitter.toNanos();
        delayNanos = delay.toNanos();
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /** Chunks of reply that were held by a delay so far. */
    public long delayedReplies() {
        return delayedReplies.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(server, 5_000);
                } catch (IOException e) {
                    LOG.warning("delaying proxy: cannot reach " + server + ": " + e.getMessage());
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                LinkedBlockingQueue<Held> held = new LinkedBlockingQueue<>();
                daemon("to-server", () -> pump(client, upstream));
                daemon("from-server", () -> hold(upstream, held));
                daemon("to-client", () -> release(held, client, upstream));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warning("delaying proxy: " + e.getMessage());
                }
            }
        }
    }

    private record Held(byte[] bytes, long dueNanos) {}

    /** Client to server, as it comes. */
    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the connection ended on either side
        } finally {
            closeBoth(from, to);
        }
    }

    /** Server replies into the queue, each with the time it may leave. */
    private void hold(Socket upstream, LinkedBlockingQueue<Held> held) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = upstream.getInputStream()) {
            int n;
            long lastDue = 0;
            while ((n = in.read(buffer)) > 0) {
                long delay = delayNanos;
                long jitter = jitterNanos;
                if (delay > 0 || jitter > 0) {
                    delayedReplies.incrementAndGet();
                    delay += jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter) : 0;
                }
                lastDue = Math.max(lastDue, System.nanoTime() + delay);
                held.add(new Held(Arrays.copyOf(buffer, n), lastDue));
            }
        } catch (IOException e) {
            // the connection ended
        } finally {
            held.add(new Held(END, 0));
        }
    }

    /** Queue to client, each reply when its time comes, in order. */
    private void release(LinkedBlockingQueue<Held> held, Socket client, Socket upstream) {
        try (OutputStream out = client.getOutputStream()) {
            while (true) {
                Held h = held.take();
                if (h.bytes() == END) {
                    return;
                }
                long wait = h.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // a reply's due time: the delay is what is simulated
                }
                out.write(h.bytes());
                out.flush();
            }
        } catch (IOException e) {
            // the client left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeBoth(client, upstream);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        for (Socket s : new Socket[] {a, b}) {
            open.remove(s);
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, "delaying-proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Stops listening and ends every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        open.clear();
    }
}
