package org.sessioncluster.ctl.command;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sessioncluster.ctl.cluster.ClusterShutdown;
import org.sessioncluster.ctl.cluster.RunState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sessionctl down}: stop what {@code up} started (SIGTERM, then SIGKILL after the grace period). */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the running cluster.")
public class DownCommand implements Callable<Integer> {
    @Mixin
    RunDirOption runDir;

    @Option(
            names = "--grace",
            defaultValue = "15",
            description = "seconds to wait after SIGTERM before SIGKILL (default: ${DEFAULT-VALUE})")
    int graceSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<RunState> state = RunState.read(runDir.path());
        if (state.isEmpty()) {
            out.println("no cluster is running from "
                    + runDir.path().toAbsolutePath().normalize());
            return 0;
        }
        int stopped = ClusterShutdown.stop(state.get(), runDir.path(), Duration.ofSeconds(graceSeconds), line -> {
            out.println("  " + line);
            out.flush();
        });
        out.println("stopped " + stopped + " process(es)");
        return 0;
    }
}
