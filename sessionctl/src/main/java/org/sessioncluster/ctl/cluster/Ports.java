package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.sessioncluster.config.UnassignedPorts;

/** Free-port allocation and in-use checks on the address the cluster binds to. */
final class Ports {
    private Ports() {}

    /** n distinct free ports on host, none handed out lately by this JVM (see {@link UnassignedPorts#free}). */
    static List<Integer> free(String host, int n) {
        try {
            return UnassignedPorts.free(host, n);
        } catch (IOException e) {
            throw new LaunchException("cannot find free ports on " + host + ": " + e.getMessage(), e);
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
