package org.sessioncluster.ctl.redis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sessioncluster.ctl.Cli;

/**
 * {@code sessionctl failover} with the Redis primary as the victim, as the high-availability tests run it: 2 nodes
 * behind round-robin, 6 users, SIGKILL at 4 s of 15 s of load.
 */
final class PrimaryKill {
    /** Users of the load, each with at most one request in flight. */
    static final int USERS = 6;

    private PrimaryKill() {}

    /** For each of {@code modes}; {@code more} options after the plan (e.g. {@code --set} keys). */
    static Cli.Result run(String modes, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "failover",
                "--modes",
                modes,
                "--victim",
                "redis-primary",
                "--policy",
                "round-robin",
                "--nodes",
                "2",
                "--users",
                Integer.toString(USERS),
                "--kill-at",
                "4s",
                "--duration",
                "15s",
                "--out",
                out.toString()));
        args.addAll(List.of(more));
        return Cli.runFresh(args.toArray(String[]::new));
    }
}
