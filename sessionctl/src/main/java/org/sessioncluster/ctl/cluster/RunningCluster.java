package org.sessioncluster.ctl.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.sessioncluster.config.ClusterConfig;

/** A started cluster: its resolved config (real ports), its node processes and its Redis, if it started one. */
public final class RunningCluster implements AutoCloseable {
    private final ClusterConfig config;
    private final List<ClusterNode> nodes;
    private final ManagedProcess redis;
    private final Path runDir;

    RunningCluster(ClusterConfig config, List<ClusterNode> nodes, ManagedProcess redis, Path runDir) {
        this.config = config;
        this.nodes = List.copyOf(nodes);
        this.redis = redis;
        this.runDir = runDir;
    }

    public ClusterConfig config() {
        return config;
    }

    public List<ClusterNode> nodes() {
        return nodes;
    }

    public ClusterNode node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name));
    }

    public Optional<ManagedProcess> redis() {
        return Optional.ofNullable(redis);
    }

    public Path runDir() {
        return runDir;
    }

    RunState toState() {
        return new RunState(config.sessionMode().configName(), runDir.resolve(ClusterLauncher.RESOLVED_CONFIG).toString(),
                nodes.stream().map(n -> RunState.Proc.of(n.process(), n.url())).toList(),
                redis == null ? null : RunState.Proc.of(redis, config.redisAddress()));
    }

    /** Stops every node gracefully (SIGTERM), then Redis; forgets the run state. */
    public void stop(Duration grace) {
        nodes.parallelStream().forEach(n -> n.process().stop(grace));
        if (redis != null) {
            redis.stop(grace);
        }
        RunState.delete(runDir);
    }

    /** Kills everything at once: for tests and aborted starts, where a graceful stop buys nothing. */
    @Override
    public void close() {
        nodes.forEach(n -> n.process().kill());
        if (redis != null) {
            redis.kill();
        }
        RunState.delete(runDir);
    }
}
