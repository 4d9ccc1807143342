package org.sessioncluster.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The command-line options every program of the cluster reads its config with (a picocli mixin): the
 * {@code --config} file and the {@code --set KEY=VALUE} overrides that win over it.
 */
public class ConfigFileOptions {
    @Option(
            names = "--config",
            defaultValue = "cluster-config/cluster.properties",
            description = "the cluster config to read (default: ${DEFAULT-VALUE})")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    /** The config file named by {@code --config}. */
    public Path file() {
        return file;
    }

    /** The {@code --set} overrides, in the order given. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** The config file with the overrides, then {@code more} on top. */
    public ClusterConfig load(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.putAll(more);
        return ClusterConfig.load(file, all);
    }
}
