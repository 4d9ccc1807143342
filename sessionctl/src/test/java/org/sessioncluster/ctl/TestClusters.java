package org.sessioncluster.ctl;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;

/** Starts real clusters for tests: the project's config, free loopback ports, the WAR the build made. */
public final class TestClusters {
    private TestClusters() {}

    /** The node and balancer JVMs of the tests' clusters: C1 only. */
    public static final String TEST_JVM = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    public static Path war() {
        return Path.of(System.getProperty("sessioncluster.test.war", "target/test-war/session-webapp.war"));
    }

    public static Path configFile() {
        return Path.of(System.getProperty("sessioncluster.test.config", "../cluster-config/cluster.properties"));
    }

    /** The project's config with this mode and node count, on free ports. */
    public static ClusterConfig config(SessionMode mode, int nodes, Map<String, String> more) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(ConfigKeys.SESSION_MODE, mode.configName());
        overrides.put(ConfigKeys.NODES, Integer.toString(nodes));
        overrides.put(ConfigKeys.NODE_HTTP_PORT_BASE, "0");
        overrides.put(ConfigKeys.NODE_CLUSTER_PORT_BASE, "0");
        overrides.put(ConfigKeys.REDIS_EMBEDDED_PORT, "0");
        overrides.put(ConfigKeys.NODE_JVM_OPTIONS, TEST_JVM);
        overrides.put(ConfigKeys.BALANCER_JVM_OPTIONS, TEST_JVM);
        // C1 only here: a warm-up for the full JIT would cost test CPU for nothing (benchmarks turn it back on)
        overrides.put(ConfigKeys.BALANCER_WARMUP_REQUESTS, "0");
        // A cluster name of its own: Tribes takes in any member with the same name that says hello, so a
        // node left over from another test on a reused port must not be able to join this cluster.
        overrides.put(ConfigKeys.CLUSTER_NAME, "test-" + Long.toHexString(System.nanoTime()));
        overrides.putAll(more);
        return ClusterConfig.load(configFile(), overrides);
    }

    public static RunningCluster start(SessionMode mode, int nodes, Path runDir, RedisServer.Binary redis) {
        return new ClusterLauncher(new ClusterLauncher.Options(war(), runDir, redis, false, line -> {}))
                .start(config(mode, nodes, Map.of()));
    }

    /** Nodes plus the balancer (free ports, fast health checks as configured), with this policy. */
    public static RunningCluster startBalanced(
            SessionMode mode, int nodes, Path runDir, String policy, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(more);
        all.put(ConfigKeys.BALANCER_POLICY, policy);
        all.put(ConfigKeys.BALANCER_PORT, "0");
        all.put(ConfigKeys.BALANCER_ADMIN_PORT, "0");
        return launcher(runDir).start(config(mode, nodes, all));
    }

    public static ClusterLauncher launcher(Path runDir) {
        return new ClusterLauncher(
                new ClusterLauncher.Options(war(), runDir, RedisServer.Binary.AUTO, true, line -> {}));
    }

    /**
     * One node as its own JVM outside any run state (the test stops it): for nodes that must fail to join or
     * to start. The config is written to a file in {@code dir}; stdout and stderr go to {@code log}.
     */
    public static Process startNodeProcess(ClusterConfig config, String name, Path dir, Path log)
            throws java.io.IOException {
        Path file = dir.resolve(name + "-" + System.nanoTime() + ".properties");
        config.writeTo(file);
        java.util.List<String> command = java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                org.sessioncluster.node.NodeMain.class.getName(),
                "--config",
                file.toString(),
                "--name",
                name,
                "--war",
                war().toAbsolutePath().toString(),
                "--work-dir",
                dir.resolve("work-" + name + "-" + System.nanoTime()).toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** A loopback port free at this moment (for servers a test starts itself). */
    public static int freePort() {
        return org.sessioncluster.testsupport.FreePorts.loopback();
    }
}
