package org.sessioncluster.ctl.command;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The virtual users a command runs against a cluster; each command says their defaults ({@link OptionDefaults}). */
public class VirtualUserOptions {
    @Option(names = "--users", description = "virtual users, each keeping one session (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--think", description = "pause between a user's requests, e.g. 100ms (default: ${DEFAULT-VALUE})")
    Duration think;
}
