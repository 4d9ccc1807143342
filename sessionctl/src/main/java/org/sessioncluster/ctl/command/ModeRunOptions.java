package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.cluster.ClusterLauncher;
import org.sessioncluster.ctl.cluster.RedisServer;
import org.sessioncluster.ctl.scenario.FreshCluster;
import org.sessioncluster.load.LoadPlan;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The runs of commands that load one fresh cluster per session mode (failover, soak): which modes, how many
 * nodes, which balancer policy, how long, the virtual users and the node JVMs; each command says the defaults
 * ({@link OptionDefaults}).
 */
public class ModeRunOptions {
    @Option(
            names = "--modes",
            split = ",",
            description = "session modes to run, one fresh cluster each (default: ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(names = "--nodes", description = "nodes per cluster, 2 to 16 (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--policy", description = "balancer policy (default: ${DEFAULT-VALUE})")
    String policy;

    @Option(names = "--duration", description = "the load per mode, e.g. 30s or 2m (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Mixin
    VirtualUserOptions users;

    @Mixin
    FreshClusterOptions fresh;

    /** The load each mode's cluster gets: --users with --think for --duration, 3 items a visit, no logout. */
    LoadPlan load() {
        return new LoadPlan(users.users, 3, 0, users.think, duration, 0, false);
    }

    /** One mode's fresh cluster: the config file with {@code keys} over it, the mode, --policy and --nodes. */
    ClusterConfig config(Path configFile, Map<String, String> keys, SessionMode mode) {
        return FreshCluster.config(
                configFile,
                keys,
                Map.of(ConfigKeys.SESSION_MODE, mode.configName(), ConfigKeys.BALANCER_POLICY, policy),
                nodes,
                fresh.jvmOptions);
    }

    /** How one mode's cluster is started: the --war, with a balancer, its files in {@code runDir}. */
    ClusterLauncher.Options launch(Path runDir) {
        return new ClusterLauncher.Options(fresh.war, runDir, RedisServer.Binary.AUTO, true, line -> {});
    }

    /** --modes as modes, and --nodes checked for a run that kills nodes (someone must survive). */
    List<SessionMode> chosen(String run) {
        FreshClusterOptions.requireSurvivors(nodes, run);
        return FreshClusterOptions.modes(modes);
    }
}
