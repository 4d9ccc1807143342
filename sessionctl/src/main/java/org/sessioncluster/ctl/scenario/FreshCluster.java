package org.sessioncluster.ctl.scenario;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;

/** The config of a throw-away cluster for one scenario run: the project's file, the scenario's keys, free ports everywhere. */
public final class FreshCluster {
    private FreshCluster() {}

    /** Deletes a finished run's folder; a failed run keeps its logs for the error message to point at. */
    public static void deleteQuietly(Path dir) {
        try (var walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a leftover temporary folder is harmless
        }
    }

    /**
     * @param baseConfig the project's cluster.properties
     * @param scenario   the keys this run sets (session.mode, balancer.policy, ...)
     * @param nodes      how many nodes
     * @param jvmOptions node JVM options
     */
    public static ClusterConfig config(Path baseConfig, Map<String, String> scenario, int nodes, String jvmOptions) {
        Map<String, String> overrides = new HashMap<>(scenario);
        overrides.put("nodes", Integer.toString(nodes));
        overrides.put("node.http.port.base", "0");
        overrides.put("node.cluster.port.base", "0");
        overrides.put("redis.embedded.port", "0");
        overrides.putIfAbsent("redis.address", "");
        overrides.put("balancer.port", "0");
        overrides.put("balancer.admin.port", "0");
        overrides.put("node.jvm.options", jvmOptions);
        // a cluster name per run: a node left over from an earlier run on a reused port cannot join
        overrides.putIfAbsent("cluster.name", "run-" + Long.toHexString(System.nanoTime()));
        return ClusterConfig.load(baseConfig, overrides);
    }
}
