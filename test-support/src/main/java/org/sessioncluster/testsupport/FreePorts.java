package org.sessioncluster.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import org.sessioncluster.config.UnassignedPorts;

/**
 * Loopback ports for the servers a test starts itself, chosen below the OS's ephemeral range: a port from that
 * range may be given to an outgoing connection or a listener on port 0 before the test's server binds it.
 */
public final class FreePorts {
    private FreePorts() {}

    /** A loopback port free at this moment. */
    public static int loopback() {
        int[] range = UnassignedPorts.range();
        for (int tries = 0; range != null && tries < 1000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(range[0], range[1]);
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException inUse) {
                // another one
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
