package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.ctl.cluster.BalancerAdmin;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.ClusterNode;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.cluster.RunningCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl up}: start the nodes (and Redis when needed) and return once they are ready. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = "Start the cluster in the background and wait until every node is ready.")
public class UpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ClusterShapeOptions shape;

    @Mixin
    WarOption war;

    @Option(
            names = "--redis-binary",
            defaultValue = "AUTO",
            description =
                    "which redis-server to start when redis.address is empty: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    RedisServer.Binary redisBinary;

    @Option(
            names = "--policy",
            description = "balancer policy: round-robin, least-connections or sticky (default: balancer.policy)")
    String policy;

    @Option(names = "--no-balancer", description = "start the nodes only (they do not register anywhere)")
    boolean noBalancer;

    @Option(names = "--foreground", description = "stay in the foreground; Ctrl-C stops the cluster")
    boolean foreground;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> more = shape.overrides();
        if (policy != null) {
            more.put(ConfigKeys.BALANCER_POLICY, policy);
        }
        ClusterConfig config = configOptions.load(more);
        PrintWriter out = spec.commandLine().getOut();
        ClusterLauncher launcher = new ClusterLauncher(
                new ClusterLauncher.Options(war.war, configOptions.runDir.path(), redisBinary, !noBalancer, line -> {
                            out.println("  " + line);
                            out.flush();
                        })
                        .outlivingCommand());
        launcher.refuseIfRunning(); // before it says it starts anything
        ClusterLauncher.requireWar(war.war);
        out.printf(
                "starting %d node(s), session mode %s%n",
                config.nodeCount(), config.sessionMode().configName());
        out.flush();
        RunningCluster cluster = launcher.start(config);
        out.println("cluster is up (" + config.sessionMode().configName() + "):");
        cluster.balancer().ifPresent(b -> {
            out.println("  balancer " + cluster.balancerUrl() + "/   <- send requests here (policy "
                    + cluster.config().balancer().policy() + ")");
            out.println("  dashboard " + cluster.config().registry().url() + "/");
        });
        if (cluster.balancerAdmin()
                .flatMap(BalancerAdmin::status)
                .map(s -> !s.warmedUp())
                .orElse(false)) {
            out.println("  (the balancer is warming its data path for a few seconds, balancer.warmup.requests:"
                    + " traffic meets slower code until then; load waits for it)");
        }
        for (ClusterNode node : cluster.nodes()) {
            out.println("  " + node.name() + "  " + node.url() + "/");
        }
        if (config.sessionMode().usesRedis()) {
            out.println("  redis   "
                    + (cluster.config().redis().sentinels().isEmpty()
                            ? cluster.config().redis().address()
                            : "primary '" + cluster.config().redis().sentinelMaster() + "' named by the Sentinels "
                                    + cluster.config().redis().sentinels())
                    + (cluster.config().redis().ssh().isEmpty()
                            ? ""
                            : ", reached by the nodes through SSH "
                                    + cluster.config().redis().ssh() + " (redis.ssh)"));
        }
        out.println("logs in " + cluster.runDir().resolve("logs") + "; stop with: sessionctl down");
        out.flush();
        if (foreground) {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.stop(java.time.Duration.ofSeconds(15));
                stopped.countDown();
            }));
            stopped.await();
        }
        return 0;
    }
}
