package org.sessioncluster.ctl.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stops the processes a run state records: nodes first (gracefully, in parallel; each leaves the
 * registry on SIGTERM), then the balancer, then Redis.
 */
public final class ClusterShutdown {
    private ClusterShutdown() {}

    /** Returns how many live processes were stopped; forgets the run state afterwards. */
    public static int stop(RunState state, Path runDir, Duration grace, Consumer<String> progress) {
        List<ManagedProcess> live = state.liveProcesses();
        List<ManagedProcess> nodes = live.stream()
                .filter(p -> !p.name().startsWith("redis") && !p.name().equals("balancer"))
                .toList();
        nodes.parallelStream().forEach(p -> {
            p.stop(grace);
            progress.accept("stopped " + p.name() + " (pid " + p.pid() + ")");
        });
        // Redis last, every kind of it (a Redis Cluster's six nodes included): nothing the run started outlives it
        for (String last : List.of("balancer", "redis-sentinel", "redis-replica", "redis-cluster", "redis")) {
            live.stream().filter(p -> p.name().equals(last)).forEach(p -> {
                p.stop(grace);
                progress.accept("stopped " + last + " (pid " + p.pid() + ")");
            });
        }
        RunState.delete(runDir);
        return live.size();
    }
}
