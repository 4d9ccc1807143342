package org.sessioncluster.balancer;

import java.net.BindException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the balancer in this JVM until SIGTERM. */
@Command(
        name = "session-balancer",
        mixinStandardHelpOptions = true,
        description = "Run the session-cluster load balancer, its node registry and its admin API / dashboard.")
public final class BalancerMain implements Callable<Integer> {
    @Option(
            names = "--config",
            defaultValue = "cluster-config/cluster.properties",
            description = "cluster.properties to read (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(
            names = "--work-dir",
            defaultValue = "run/work/balancer",
            description = "the balancer's working folder (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
        System.exit(new CommandLine(new BalancerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadBalancer balancer;
        try {
            balancer = new LoadBalancer(ClusterConfig.load(config, overrides), workDir);
            balancer.start();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("session-balancer: " + e.getMessage());
            return 2;
        } catch (BindException e) {
            spec.commandLine()
                    .getErr()
                    .println("session-balancer: cannot listen on the admin port (balancer.admin.port): "
                            + e.getMessage() + " (port in use?)");
            return 1;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("session-balancer: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            balancer.close();
                            stopped.countDown();
                        },
                        "balancer-shutdown"));
        stopped.await();
        return 0;
    }
}
