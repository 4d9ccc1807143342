package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a cluster's state, logs and work files are (a picocli mixin). The commands that act on a running cluster
 * take this alone: the cluster keeps the config it was started with in that folder, so a --config or --set given to
 * them would change nothing.
 */
public class RunDirOption {
    @Option(
            names = "--run-dir",
            defaultValue = "run",
            description =
                    "folder for logs, work files and the state of the running cluster (default: ${DEFAULT-VALUE})")
    Path path;

    Path path() {
        return path;
    }
}
