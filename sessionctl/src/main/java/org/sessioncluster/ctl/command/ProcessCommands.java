package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sessionctl kill|restart NODE} and {@code sessionctl add-node}: change which node JVMs run. */
public final class ProcessCommands {
    private ProcessCommands() {}

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "SIGKILL a node, as a crash would.")
    public static class Kill implements Callable<Integer> {
        @Mixin
        RunDirOption runDir;

        @Mixin
        NodeArgument node;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ClusterNode target = RunningCluster.attach(runDir.path()).node(node.name);
            boolean wasAlive = target.process().isAlive();
            target.process().kill();
            spec.commandLine()
                    .getOut()
                    .println(
                            wasAlive
                                    ? "killed " + node.name + " (pid "
                                            + target.process().pid() + ")"
                                    : node.name + " was not running");
            return 0;
        }
    }

    abstract static class Starting implements Callable<Integer> {
        @Mixin
        RunDirOption runDir;

        @Mixin
        WarOption war;

        @Spec
        CommandSpec spec;

        ClusterLauncher launcher(RunningCluster cluster) {
            PrintWriter out = spec.commandLine().getOut();
            return new ClusterLauncher(new ClusterLauncher.Options(
                    war.war,
                    runDir.path(),
                    RedisServer.Binary.AUTO,
                    cluster.balancer().isPresent(),
                    line -> {
                        out.println("  " + line);
                        out.flush();
                    }));
        }
    }

    @Command(
            name = "restart",
            mixinStandardHelpOptions = true,
            description =
                    "Start a killed or stopped node again (same name and ports, the WAR it ran before unless --war"
                            + " is given) and wait until it is ready.")
    public static class Restart extends Starting {
        @Mixin
        NodeArgument node;

        @Override
        public Integer call() {
            RunningCluster cluster = RunningCluster.attach(runDir.path());
            boolean warGiven = spec.commandLine().getParseResult().hasMatchedOption("--war");
            ClusterNode fresh = warGiven
                    ? launcher(cluster).restartNode(cluster, node.name, war.war)
                    : launcher(cluster).restartNode(cluster, node.name);
            spec.commandLine()
                    .getOut()
                    .println(node.name + " is back (pid " + fresh.process().pid() + ")");
            return 0;
        }
    }

    @Command(
            name = "add-node",
            mixinStandardHelpOptions = true,
            description = "Start one more node in a running local or redis cluster; it registers and gets traffic.")
    public static class AddNode extends Starting {
        @Override
        public Integer call() {
            RunningCluster cluster = RunningCluster.attach(runDir.path());
            ClusterNode added = launcher(cluster).addNode(cluster);
            spec.commandLine().getOut().println("added " + added.name() + " on " + added.url() + "/");
            return 0;
        }
    }
}
