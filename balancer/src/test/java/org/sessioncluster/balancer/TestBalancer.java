package org.sessioncluster.balancer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;

/** A real balancer on free loopback ports, in a test's folder, with no nodes until the test registers them. */
final class TestBalancer {
    static final String ADMIN_TOKEN = "0123456789abcdef0123";

    private TestBalancer() {}

    /** Started, with free ports, no warm-up and the test's admin token; {@code more} keys on top. */
    static LoadBalancer start(Path dir, Map<String, String> more) throws IOException {
        return start(dir, more, false);
    }

    /** The same, with the warm-up begun at once ({@code --warm-up-at-start}) or once the nodes registered. */
    static LoadBalancer start(Path dir, Map<String, String> more, boolean warmUpAtStart) throws IOException {
        Map<String, String> keys = new HashMap<>(Map.of(
                ConfigKeys.BALANCER_PORT,
                "0",
                ConfigKeys.BALANCER_ADMIN_PORT,
                "0",
                ConfigKeys.BALANCER_WARMUP_REQUESTS,
                "0",
                ConfigKeys.NODE_HTTP_PORT_BASE,
                "0",
                ConfigKeys.BALANCER_ADMIN_TOKEN,
                ADMIN_TOKEN));
        keys.putAll(more);
        LoadBalancer balancer = new LoadBalancer(ClusterConfig.of(keys, dir), dir.resolve("balancer"));
        try {
            balancer.start(warmUpAtStart);
        } catch (IOException | RuntimeException e) {
            balancer.close();
            throw e;
        }
        return balancer;
    }
}
