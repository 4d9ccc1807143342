package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterStateException;
import org.sessioncluster.ctl.cluster.RunningCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sessionctl drain|enable|disable|weight NODE}: steer one node at the running balancer. */
public final class NodeControlCommands {
    private NodeControlCommands() {}

    abstract static class NodeControl implements Callable<Integer> {
        @Mixin
        RunDirOption runDir;

        @Mixin
        NodeArgument node;

        @Spec
        CommandSpec spec;

        abstract String action();

        @Override
        public Integer call() {
            RunningCluster cluster = RunningCluster.attach(runDir.path());
            BalancerAdmin admin = cluster.balancerAdmin()
                    .orElseThrow(() -> new ClusterStateException(
                            "this cluster runs without a balancer (started with --no-balancer)"));
            BalancerStatus.Backend state = admin.command(node.name, action());
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "%s: state %s, weight %d, %s%n",
                    node.name, state.state(), state.weight(), state.healthy() ? "healthy" : "down");
            return 0;
        }
    }

    @Command(
            name = "drain",
            mixinStandardHelpOptions = true,
            description = "Send no new sessions to NODE; it keeps serving its sticky sessions.")
    public static class Drain extends NodeControl {
        @Override
        String action() {
            return "drain";
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Send NODE new sessions again.")
    public static class Enable extends NodeControl {
        @Override
        String action() {
            return "enable";
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Send NODE nothing at all.")
    public static class Disable extends NodeControl {
        @Override
        String action() {
            return "disable";
        }
    }

    @Command(
            name = "weight",
            mixinStandardHelpOptions = true,
            description = "Set NODE's balancer weight (0 to 256; 0 = no new sessions); e.g. for a canary.")
    public static class Weight extends NodeControl {
        @Parameters(index = "1", paramLabel = "WEIGHT", description = "0 to 256")
        String weight;

        @Override
        String action() {
            return "weight?value=" + java.net.URLEncoder.encode(weight, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
