package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sessioncluster.balancer.BalancerMain;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.node.NodeMain;

/**
 * The command lines of a cluster's JVMs: this JDK's java with the class-data archive and the configured JVM
 * options, sessionctl's class path, the main class and its arguments (the resolved config, the node's name, WAR
 * and work folder in the run folder).
 */
final class JvmCommands {
    private static final String CLASS_PATH = classPath();

    private JvmCommands() {}

    /**
     * The class path of the JVMs: sessionctl's jar when its classes come from one that names its libraries
     * (as installed, and in the integration tests, which run on the packaged jar), so the nodes run as they do in
     * use and can map a class-data archive; otherwise (a build's folders) this JVM's own class path.
     */
    static String classPath() {
        try {
            Path self = Path.of(JvmCommands.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (self.toString().endsWith(".jar") && !JarManifest.libraries(self).isEmpty()) {
                return self.toString();
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // no jar of its own to name: the class path this JVM has
        }
        return System.getProperty("java.class.path");
    }

    /** @param warmUpAtStart see the balancer's {@code --warm-up-at-start} */
    static List<String> balancer(ClusterConfig config, Path runDir, boolean warmUpAtStart) {
        List<String> command = java(
                config.balancer().jvmOptions(),
                ClassDataArchive.options(runDir, "balancer", true, Path.of(CLASS_PATH)),
                BalancerMain.class.getName());
        command.addAll(List.of(
                "--config",
                runDir.resolve(ClusterLauncher.RESOLVED_CONFIG).toString(),
                "--work-dir",
                runDir.resolve("work").resolve("balancer").toString()));
        if (warmUpAtStart) {
            command.add("--warm-up-at-start");
        }
        return command;
    }

    static List<String> node(ClusterConfig config, NodeAddress node, Path war, Path runDir) {
        List<String> command = java(
                config.node().jvmOptions(),
                // only the first node dumps the archive when there is none yet: one dump is enough
                ClassDataArchive.options(runDir, "node", node.index() == 1, Path.of(CLASS_PATH)),
                NodeMain.class.getName());
        command.addAll(List.of(
                "--config",
                runDir.resolve(ClusterLauncher.RESOLVED_CONFIG).toString(),
                "--name",
                node.name(),
                "--war",
                war.toAbsolutePath().toString(),
                "--work-dir",
                runDir.resolve("work").resolve(node.name()).toString()));
        return command;
    }

    private static List<String> java(String jvmOptions, List<String> archive, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(archive);
        Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        command.add("-cp");
        command.add(CLASS_PATH);
        command.add(mainClass);
        return command;
    }
}
