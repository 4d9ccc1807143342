package org.sessioncluster.ctl.command;

import picocli.CommandLine.Parameters;

/** {@code NODE}: the one node a command acts on (kill, restart, drain, enable, disable, weight). */
public class NodeArgument {
    @Parameters(index = "0", paramLabel = "NODE", description = "the node, e.g. node-2")
    String name;
}
