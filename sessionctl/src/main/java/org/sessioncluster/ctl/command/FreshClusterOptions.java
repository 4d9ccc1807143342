package org.sessioncluster.ctl.command;

import java.util.ArrayList;
import java.util.List;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BadInputException;
import picocli.CommandLine.Option;

/** Options of the commands that start throw-away clusters of their own (compare, failover, soak). */
public class FreshClusterOptions extends WarOption {
    @Option(
            names = "--jvm-options",
            defaultValue = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k",
            description = "node JVM options for every cluster this command starts (default: ${DEFAULT-VALUE})")
    String jvmOptions;

    /** The --modes names as modes, or one line naming the unknown one and what is allowed. */
    static List<SessionMode> modes(List<String> names) {
        List<SessionMode> chosen = new ArrayList<>();
        for (String m : names) {
            SessionMode mode = SessionMode.parse(m);
            if (mode == null) {
                throw new BadInputException(
                        "--modes: unknown mode '" + m + "'; allowed: " + SessionMode.allowedValues());
            }
            chosen.add(mode);
        }
        return chosen;
    }

    /** --nodes for a run that kills nodes: 2 to 16, so that someone survives. */
    static void requireSurvivors(int nodes, String run) {
        if (nodes < 2 || nodes > 16) {
            throw new BadInputException(
                    "--nodes " + nodes + " is not allowed; allowed: 2 to 16 (" + run + " needs a survivor)");
        }
    }
}
