package org.sessioncluster.ctl.command;

import java.time.Duration;
import java.util.List;
import org.sessioncluster.config.SessionMode;
import picocli.CommandLine.Option;

/**
 * The runs of commands that load one fresh cluster per session mode (failover, soak): which modes, how many
 * nodes, which balancer policy and how long; each command says the defaults ({@link OptionDefaults}).
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

    /** --modes as modes, and --nodes checked for a run that kills nodes (someone must survive). */
    List<SessionMode> chosen(String run) {
        FreshClusterOptions.requireSurvivors(nodes, run);
        return FreshClusterOptions.modes(modes);
    }
}
