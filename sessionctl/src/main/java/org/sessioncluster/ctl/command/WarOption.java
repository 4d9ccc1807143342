package org.sessioncluster.ctl.command;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --war}: the WAR the nodes a command starts run. */
public class WarOption {
    @Option(
            names = "--war",
            defaultValue = "webapp/target/session-webapp.war",
            description = "the WAR the nodes run (default: ${DEFAULT-VALUE})")
    Path war;
}
