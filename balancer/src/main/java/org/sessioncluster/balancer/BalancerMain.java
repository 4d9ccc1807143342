package org.sessioncluster.balancer;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ClusterProcessMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the balancer in this JVM until SIGTERM. */
@Command(
        name = "session-balancer",
        mixinStandardHelpOptions = true,
        description = "Run the session-cluster load balancer, its node registry and its admin API / dashboard.")
public final class BalancerMain extends ClusterProcessMain {
    @Option(
            names = "--work-dir",
            defaultValue = "run/work/balancer",
            description = "the balancer's working folder (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(
            names = "--warm-up-at-start",
            description = "warm the data path at once, while the nodes boot (what a start that waits for the warm-up"
                    + " wants: sessionctl's throw-away clusters), not once the configured nodes have registered"
                    + " (what a start that returns before it wants: sessionctl up)")
    boolean warmUpAtStart;

    public static void main(String[] args) {
        run(new BalancerMain(), args);
    }

    @Override
    protected Runnable start(ClusterConfig cluster) throws StartFailed {
        try {
            LoadBalancer balancer = new LoadBalancer(cluster, workDir);
            balancer.start(warmUpAtStart);
            return balancer::close;
        } catch (BindException e) {
            throw new StartFailed(
                    "cannot listen on the admin port (balancer.admin.port): " + e.getMessage() + " (port in use?)", e);
        } catch (IOException e) {
            throw new StartFailed(e.getMessage(), e);
        }
    }
}
