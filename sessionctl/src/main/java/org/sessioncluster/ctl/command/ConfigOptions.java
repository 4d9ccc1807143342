package org.sessioncluster.ctl.command;

import org.sessioncluster.config.ConfigFileOptions;
import picocli.CommandLine.Mixin;

/** Options of the commands that read the cluster config: which config, what to override, where the run folder is. */
public class ConfigOptions extends ConfigFileOptions {
    @Mixin
    RunDirOption runDir;
}
