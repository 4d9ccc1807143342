package org.sessioncluster.ctl.cluster;

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
    private JvmCommands() {}

    static List<String> balancer(ClusterConfig config, Path runDir) {
        List<String> command = java(
                config.balancer().jvmOptions(),
                ClassDataArchive.options(runDir, "balancer", true),
                BalancerMain.class.getName());
        command.addAll(List.of(
                "--config",
                runDir.resolve(ClusterLauncher.RESOLVED_CONFIG).toString(),
                "--work-dir",
                runDir.resolve("work").resolve("balancer").toString()));
        return command;
    }

    static List<String> node(ClusterConfig config, NodeAddress node, Path war, Path runDir) {
        List<String> command = java(
                config.node().jvmOptions(),
                // only the first node may write the archive when there is none yet (two must not write one file)
                ClassDataArchive.options(runDir, "node", node.index() == 1),
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
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }
}
