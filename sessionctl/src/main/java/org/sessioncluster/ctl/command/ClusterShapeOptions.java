package org.sessioncluster.ctl.command;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sessioncluster.config.ConfigKeys;
import picocli.CommandLine.Option;

/** The session mode and node count of the config, overridden for one command (up, tomcat-base). */
public class ClusterShapeOptions {
    @Option(
            names = "--mode",
            description =
                    "session mode: local, delta, backup, redis, redisson, spring-session or disk (default: session.mode)")
    String mode;

    @Option(names = "--nodes", description = "how many nodes, 1 to 64 (default: nodes)")
    Integer nodes;

    /** The config keys the given options set, to lay over the config file's. */
    Map<String, String> overrides() {
        Map<String, String> keys = new LinkedHashMap<>();
        if (mode != null) {
            keys.put(ConfigKeys.SESSION_MODE, mode);
        }
        if (nodes != null) {
            keys.put(ConfigKeys.NODES, nodes.toString());
        }
        return keys;
    }
}
