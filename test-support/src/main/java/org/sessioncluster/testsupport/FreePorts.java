package org.sessioncluster.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.sessioncluster.config.UnassignedPorts;

/**
 * Loopback ports for the servers a test starts itself, chosen as sessionctl chooses its clusters' ports (below the
 * OS's ephemeral range, none handed out twice by one JVM within minutes), so that test classes running side by
 * side in one JVM are not given the same port.
 */
public final class FreePorts {
    private FreePorts() {}

    /** A loopback port free at this moment. */
    public static int loopback() {
        try {
            return UnassignedPorts.free("127.0.0.1", 1).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
