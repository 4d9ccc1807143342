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

    public static void main(String[] args) {
        run(new BalancerMain(), args);
    }

    @Override
    protected Runnable start(ClusterConfig cluster) throws StartFailed {
        try {
            LoadBalancer balancer = new LoadBalancer(cluster, workDir);
            balancer.start();
            return balancer::close;
        } catch (BindException e) {
            throw new StartFailed(
                    "cannot listen on the admin port (balancer.admin.port): " + e.getMessage() + " (port in use?)", e);
        } catch (IOException e) {
            throw new StartFailed(e.getMessage(), e);
        }
    }
}
