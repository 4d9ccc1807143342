package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import picocli.CommandLine.Option;

/** Options every command shares: which config to read, what to override, where the run folder is. */
public class ConfigOptions {
    @Option(
            names = "--config",
            defaultValue = "cluster-config/cluster.properties",
            description = "the cluster config (default: ${DEFAULT-VALUE})")
    Path config;

    @Option(
            names = "--run-dir",
            defaultValue = "run",
            description =
                    "folder for logs, work files and the state of the running cluster (default: ${DEFAULT-VALUE})")
    Path runDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key (repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    ClusterConfig load(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(more);
        return ClusterConfig.load(config, all);
    }
}
