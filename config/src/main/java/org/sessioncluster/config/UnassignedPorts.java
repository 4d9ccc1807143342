package org.sessioncluster.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a free port for a server of this project is chosen (a node, the balancer, Redis, a test's server): from
 * 20000 (or lower, when the OS's ephemeral range starts lower) up to where the OS's ephemeral range starts
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}). A port from the ephemeral range may be given to an outgoing
 * connection or a listener on port 0 before the server it was chosen for binds it.
 */
public final class UnassignedPorts {
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
}
