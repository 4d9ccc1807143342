package org.sessioncluster.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Where a free port for a server of this project is chosen (a node, the balancer, Redis, a test's server): from
 * 20000 (or lower, when the OS's ephemeral range starts lower) up to where the OS's ephemeral range starts
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}). A port from the ephemeral range may be given to an outgoing
 * connection or a listener on port 0 before the server it was chosen for binds it; a port below it is only ever
 * taken by someone who asks for it by number.
 */
public final class UnassignedPorts {
    /**
     * Ports this JVM handed out lately, and when: a port is free here only until the process it is for binds it, so
     * servers started at the same time (clusters grown in parallel, test classes run side by side) must not be
     * handed the same one.
     */
    private static final Map<Integer, Long> HANDED_OUT = new HashMap<>();

    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(2);

    private UnassignedPorts() {}

    /** {low, high} (high exclusive); null where the range cannot be read or leaves too few, and the OS chooses. */
    public static int[] range() {
        try {
            String[] r = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim()
                    .split("\\s+");
            int ephemeralLow = Integer.parseInt(r[0]);
            int low = Math.min(20_000, ephemeralLow / 2);
            return ephemeralLow - low >= 2_000 ? new int[] {low, ephemeralLow} : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * n distinct ports of {@link #range()} free on host right now and not handed out by this JVM in the last two
     * minutes (all held open together while choosing, then released); where there is no range, ports the OS
     * chooses.
     *
     * @throws IOException when host cannot be bound or n free ports are not found
     */
    public static synchronized List<Integer> free(String host, int n) throws IOException {
        long now = System.nanoTime();
        HANDED_OUT.values().removeIf(at -> now - at > REMEMBER_NANOS);
        int[] range = range();
        InetAddress address = InetAddress.getByName(host);
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<Integer> chosen = new ArrayList<>();
            for (int tries = 0; chosen.size() < n && tries < n + 1000; tries++) {
                int port = range == null ? 0 : ThreadLocalRandom.current().nextInt(range[0], range[1]);
                ServerSocket socket = new ServerSocket();
                socket.setReuseAddress(false);
                try {
                    socket.bind(new InetSocketAddress(address, port));
                } catch (IOException inUse) {
                    socket.close();
                    if (range == null) {
                        throw inUse;
                    }
                    continue;
                }
                held.add(socket); // also the ones skipped: no port is looked at twice
                if (!HANDED_OUT.containsKey(socket.getLocalPort())) {
                    chosen.add(socket.getLocalPort());
                }
            }
            if (chosen.size() < n) {
                throw new IOException("only " + chosen.size() + " of " + n + " ports free"
                        + (range == null ? "" : " in " + range[0] + "-" + (range[1] - 1)));
            }
            chosen.forEach(p -> HANDED_OUT.put(p, now));
            return chosen;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
