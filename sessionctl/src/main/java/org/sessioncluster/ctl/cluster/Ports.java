package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.sessioncluster.config.UnassignedPorts;

/** Free-port allocation and in-use checks on the address the cluster binds to. */
final class Ports {
    /**
     * Ports this JVM handed out lately, and when: a port is free here only until the process it is for binds it, so
     * clusters started or grown at the same time (the comparison grows its clusters in parallel) must not be handed
     * the same one.
     */
    private static final Map<Integer, Long> HANDED_OUT = new HashMap<>();

    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(2);

    private Ports() {}

    /**
     * n distinct ports free right now (all held open together, then released), below the OS's ephemeral range: a
     * port from that range may be given to any outgoing connection or any listener bound to port 0 (an SSH
     * tunnel's entrance) before the process it is for binds it; a port below it is only ever taken by someone
     * who asks for it by number.
     */
    static synchronized List<Integer> free(String host, int n) {
        List<ServerSocket> held = new ArrayList<>();
        long now = System.nanoTime();
        HANDED_OUT.values().removeIf(at -> now - at > REMEMBER_NANOS);
        int[] range = UnassignedPorts.range();
        try {
            List<Integer> chosen = new ArrayList<>();
            // held open while choosing, also the ones skipped, so that no port is offered twice
            for (int tries = 0; chosen.size() < n && tries < n + 1000; tries++) {
                int port = range == null ? 0 : ThreadLocalRandom.current().nextInt(range[0], range[1]);
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(false);
                try {
                    socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                } catch (IOException inUse) {
                    socket.close();
                    if (range == null) {
                        throw inUse;
                    }
                    continue;
                }
                held.add(socket);
                if (!HANDED_OUT.containsKey(socket.getLocalPort())) {
                    chosen.add(socket.getLocalPort());
                }
            }
            if (chosen.size() < n) {
                throw new LaunchException("cannot find " + n + " free ports on " + host);
            }
            chosen.forEach(p -> HANDED_OUT.put(p, now));
            return chosen;
        } catch (IOException e) {
            throw new LaunchException("cannot find free ports on " + host + ": " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listening socket we own does not fail in practice
                }
            }
        }
    }

    /**
     * n free ports for Redis Cluster nodes: a cluster node also listens on its port + 10000 (the cluster bus),
     * so each port must be below 55536 and that second port free too.
     */
    static List<Integer> freeWithBus(String host, int n) {
        List<Integer> out = new ArrayList<>();
        for (int tries = 0; out.size() < n && tries < 200; tries++) {
            int port = free(host, 1).get(0);
            if (port <= 55535 && !out.contains(port) && !out.contains(port + 10000) && isFree(host, port + 10000)) {
                out.add(port);
            }
        }
        if (out.size() < n) {
            throw new LaunchException("cannot find " + n + " free port pairs (port, port + 10000) on " + host
                    + " for the Redis Cluster nodes");
        }
        return out;
    }

    static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Throws a LaunchException naming the port and its use when something already listens there. */
    static void requireFree(String host, int port, String what, String hint) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new LaunchException("port " + port + " on " + host + " (" + what + ") is in use; " + hint);
        }
    }
}
