package org.sessioncluster.ctl.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.node.NodeMain;

/**
 * Starts a cluster: picks free ports where the config says 0, starts Redis when the redis mode needs
 * one, writes the resolved config every node reads, starts one JVM per node and waits until each one
 * serves HTTP and sees its cluster peers.
 */
public final class ClusterLauncher {
    static final String RESOLVED_CONFIG = "cluster.properties";

    /**
     * How to launch.
     *
     * @param war         the WAR every node runs
     * @param runDir      where logs, work folders, the resolved config and the run state go
     * @param redisBinary which redis-server to run when an embedded Redis is needed
     * @param progress    receives one line per step, for the user
     */
    public record Options(Path war, Path runDir, RedisServer.Binary redisBinary, Consumer<String> progress) {
    }

    private final Options options;

    public ClusterLauncher(Options options) {
        this.options = options;
    }

    public RunningCluster start(ClusterConfig requested) {
        Path runDir = options.runDir().toAbsolutePath().normalize();
        refuseIfRunning(runDir);
        if (!Files.isRegularFile(options.war())) {
            throw new LaunchException("WAR not found: " + options.war()
                    + " (build it with ./mvnw -q package -DskipTests, or pass --war)");
        }
        ClusterConfig config = resolvePorts(requested);
        ManagedProcess redis = startRedisIfNeeded(config, runDir);
        if (redis != null) {
            config = config.with(Map.of("redis.address", "redis://" + config.nodeHost() + ":" + config.redisEmbeddedPort()));
        }
        Path resolved = runDir.resolve(RESOLVED_CONFIG);
        try {
            config.writeTo(resolved);
        } catch (java.io.IOException e) {
            if (redis != null) {
                redis.kill();
            }
            throw new LaunchException("cannot write " + resolved + ": " + e.getMessage(), e);
        }

        List<ClusterNode> nodes = new ArrayList<>();
        for (NodeAddress address : config.nodes()) {
            ManagedProcess process = ManagedProcess.start(address.name(), nodeCommand(config, address, resolved, runDir),
                    runDir.resolve("logs").resolve(address.name() + ".log"));
            nodes.add(new ClusterNode(address, process));
            options.progress().accept("started " + address.name() + " (pid " + process.pid() + ") on " + address.httpBaseUrl());
        }
        RunningCluster cluster = new RunningCluster(config, nodes, redis, runDir);
        cluster.toState().write(runDir);
        try {
            new ReadinessWait(config, options.progress()).awaitAll(nodes);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private static void refuseIfRunning(Path runDir) {
        Optional<RunState> state = RunState.read(runDir);
        if (state.isPresent()) {
            List<ManagedProcess> live = state.get().liveProcesses();
            if (!live.isEmpty()) {
                throw new LaunchException("a cluster is already running from " + runDir + " ("
                        + live.stream().map(p -> p.name() + " pid " + p.pid()).toList() + "); run 'sessionctl down' first");
            }
            RunState.delete(runDir);
        }
    }

    /** Replaces port 0 by free ports, and checks that fixed ports are free, before anything starts. */
    private ClusterConfig resolvePorts(ClusterConfig config) {
        String host = config.nodeHost();
        boolean tribes = config.sessionMode().usesTribes();
        boolean embeddedRedis = config.sessionMode() == SessionMode.REDIS && config.redisAddress().isEmpty();
        int wanted = 0;
        for (NodeAddress n : config.nodes()) {
            wanted += (n.httpPort() == 0 ? 1 : 0) + (tribes && n.clusterPort() == 0 ? 1 : 0);
        }
        wanted += embeddedRedis && config.redisEmbeddedPort() == 0 ? 1 : 0;
        var free = Ports.free(host, wanted).iterator();
        Map<String, String> set = new HashMap<>();
        for (NodeAddress n : config.nodes()) {
            if (n.httpPort() == 0) {
                set.put("node." + n.index() + ".http.port", free.next().toString());
            }
            if (tribes && n.clusterPort() == 0) {
                set.put("node." + n.index() + ".cluster.port", free.next().toString());
            }
        }
        if (embeddedRedis && config.redisEmbeddedPort() == 0) {
            set.put("redis.embedded.port", free.next().toString());
        }
        ClusterConfig resolved = config.with(set);
        for (NodeAddress n : resolved.nodes()) {
            Ports.requireFree(host, n.httpPort(), n.name() + " HTTP",
                    "change node.http.port.base (0 = free ports) or stop what uses it");
            if (tribes) {
                Ports.requireFree(host, n.clusterPort(), n.name() + " cluster receiver",
                        "change node.cluster.port.base (0 = free ports) or stop what uses it");
            }
        }
        if (embeddedRedis) {
            Ports.requireFree(host, resolved.redisEmbeddedPort(), "embedded Redis",
                    "change redis.embedded.port (0 = a free port) or point redis.address at that Redis");
        }
        return resolved;
    }

    private ManagedProcess startRedisIfNeeded(ClusterConfig config, Path runDir) {
        if (config.sessionMode() != SessionMode.REDIS) {
            return null;
        }
        if (!config.redisAddress().isEmpty()) {
            options.progress().accept("using Redis at " + config.redisAddress());
            return null;
        }
        Path binary = RedisServer.locate(options.redisBinary());
        ManagedProcess redis = RedisServer.start(binary, config.nodeHost(), config.redisEmbeddedPort(),
                runDir.resolve("logs").resolve("redis.log"), 15_000);
        options.progress().accept("started Redis (pid " + redis.pid() + ", " + binary + ") on "
                + config.nodeHost() + ":" + config.redisEmbeddedPort());
        return redis;
    }

    private List<String> nodeCommand(ClusterConfig config, NodeAddress node, Path resolvedConfig, Path runDir) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(config.nodeJvmOptions().trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeMain.class.getName());
        command.addAll(List.of("--config", resolvedConfig.toString(), "--name", node.name(),
                "--war", options.war().toAbsolutePath().toString(),
                "--work-dir", runDir.resolve("work").resolve(node.name()).toString()));
        return command;
    }
}
