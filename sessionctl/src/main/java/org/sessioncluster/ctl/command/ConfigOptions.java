package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import org.sessioncluster.config.ConfigFileOptions;
import picocli.CommandLine.Option;

/** Options every command shares: which config to read, what to override, where the run folder is. */
public class ConfigOptions extends ConfigFileOptions {
    @Option(
            names = "--run-dir",
            defaultValue = "run",
            description =
                    "folder for logs, work files and the state of the running cluster (default: ${DEFAULT-VALUE})")
    Path runDir;
}
