package org.sessioncluster.ctl.scenario;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;

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
     * @param set        the user's --set keys, over the file
     * @param scenario   the keys this run sets (session.mode, balancer.policy, ...), over the user's
     * @param nodes      how many nodes
     * @param jvmOptions node JVM options
     */
    public static ClusterConfig config(
            Path baseConfig, Map<String, String> set, Map<String, String> scenario, int nodes, String jvmOptions) {
        Map<String, String> overrides = new HashMap<>(set);
        overrides.putAll(scenario);
        overrides.put(ConfigKeys.NODES, Integer.toString(nodes));
        overrides.put(ConfigKeys.NODE_HTTP_PORT_BASE, "0");
        overrides.put(ConfigKeys.NODE_CLUSTER_PORT_BASE, "0");
        overrides.put(ConfigKeys.REDIS_EMBEDDED_PORT, "0");
        overrides.putIfAbsent(ConfigKeys.REDIS_ADDRESS, "");
        overrides.put(ConfigKeys.BALANCER_PORT, "0");
        overrides.put(ConfigKeys.BALANCER_ADMIN_PORT, "0");
        overrides.put(ConfigKeys.NODE_JVM_OPTIONS, jvmOptions);
        // a cluster name per run: a node left over from an earlier run on a reused port cannot join
        overrides.putIfAbsent(ConfigKeys.CLUSTER_NAME, "run-" + Long.toHexString(System.nanoTime()));
        return ClusterConfig.load(baseConfig, overrides);
    }
}
