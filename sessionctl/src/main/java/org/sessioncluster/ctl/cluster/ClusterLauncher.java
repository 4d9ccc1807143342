package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.sessioncluster.balancer.BalancerMain;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.node.NodeMain;

/**
 * Starts a cluster: picks free ports where the config says 0, starts Redis when the redis mode needs
 * one, starts the balancer (which holds the node registry), writes the resolved config every process
 * reads, starts one JVM per node and waits until each one serves, sees its cluster peers and is routed
 * to by the balancer.
 */
public final class ClusterLauncher {
    static final String RESOLVED_CONFIG = "cluster.properties";

    /**
     * How to launch.
     *
     * @param war         the WAR every node runs
     * @param runDir      where logs, work folders, the resolved config and the run state go
     * @param redisBinary which redis-server to run when an embedded Redis is needed
     * @param balancer    whether to start the balancer (and have nodes register with it)
     * @param progress    receives one line per step, for the user
     */
    public record Options(Path war, Path runDir, RedisServer.Binary redisBinary, boolean balancer, Consumer<String> progress) {
    }

    private final Options options;
    private final Path runDir;

    public ClusterLauncher(Options options) {
        this.options = options;
        this.runDir = options.runDir().toAbsolutePath().normalize();
    }

    public RunningCluster start(ClusterConfig requested) {
        refuseIfRunning();
        requireWar();
        ClusterConfig config = new PortPlan(options.balancer()).resolve(requested);
        if (options.balancer()) {
            String token = config.balancerAdminToken().isEmpty() ? newToken() : config.balancerAdminToken();
            config = config.with(Map.of("balancer.admin.token", token,
                    "registry.url", "http://" + config.balancerAdminHost() + ":" + config.balancerAdminPort()));
        } else {
            config = config.with(Map.of("registry.url", ""));
        }
        if (config.sessionMode() == SessionMode.DISK && config.sessionStoreDir().isBlank()) {
            config = config.with(Map.of("session.store.dir", runDir.resolve("sessions").toString()));
        }
        ManagedProcess redis = startRedisIfNeeded(config);
        if (redis != null) {
            config = config.with(Map.of("redis.address", "redis://" + config.nodeHost() + ":" + config.redisEmbeddedPort()));
        }
        RunningCluster cluster = new RunningCluster(config, new ArrayList<>(), redis, null, runDir);
        try {
            writeConfig(config);
            if (options.balancer()) {
                cluster.setBalancer(startBalancer(config));
            }
            ReadinessWait readiness = new ReadinessWait(config, options.progress());
            for (NodeAddress address : config.nodes()) {
                ClusterNode node = new ClusterNode(address, startNodeProcess(config, address));
                cluster.addNode(node);
                cluster.toState().write(runDir);
                if (config.sessionMode().usesTribes() && address.index() < config.nodeCount()) {
                    // Tribes nodes start one after the other: a DeltaManager that asks a peer for the
                    // session state while that peer's own manager is not registered yet gets no answer
                    // and waits for the whole state-transfer timeout.
                    readiness.awaitServing(node);
                }
            }
            readiness.awaitAll(cluster.nodes(), cluster.balancerAdmin());
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts a node that was killed or stopped again, under the same name and ports; waits until it is ready. */
    public ClusterNode restartNode(RunningCluster cluster, String name) {
        ClusterNode old = cluster.node(name);
        if (old.process().isAlive()) {
            throw new LaunchException(name + " is still running (pid " + old.process().pid() + "); stop or kill it first");
        }
        ClusterNode fresh = new ClusterNode(old.address(), startNodeProcess(cluster.config(), old.address()));
        cluster.replaceNode(fresh);
        cluster.toState().write(runDir);
        new ReadinessWait(cluster.config(), options.progress()).awaitAll(List.of(fresh), cluster.balancerAdmin());
        return fresh;
    }

    /**
     * Adds one node to a running cluster (local and redis modes: delta and backup use static membership,
     * so their node list is fixed when the cluster starts). It registers with the balancer and gets traffic.
     */
    public ClusterNode addNode(RunningCluster cluster) {
        ClusterConfig config = cluster.config();
        if (config.sessionMode().usesTribes()) {
            throw new LaunchException("cannot add a node to a running " + config.sessionMode().configName()
                    + " cluster: its Tribes membership is static (every node lists its peers at start); restart the cluster with --nodes "
                    + (config.nodeCount() + 1));
        }
        int index = config.nodeCount() + 1;
        int port = Ports.free(config.nodeHost(), 1).get(0);
        ClusterConfig grown = config.with(Map.of("nodes", Integer.toString(index), "node." + index + ".http.port", Integer.toString(port)));
        writeConfig(grown);
        cluster.setConfig(grown);
        NodeAddress address = grown.node(NodeAddress.nameOf(index));
        ClusterNode node = new ClusterNode(address, startNodeProcess(grown, address));
        cluster.addNode(node);
        cluster.toState().write(runDir);
        new ReadinessWait(grown, options.progress()).awaitAll(List.of(node), cluster.balancerAdmin());
        return node;
    }

    private void requireWar() {
        if (!Files.isRegularFile(options.war())) {
            throw new LaunchException("WAR not found: " + options.war()
                    + " (build it with ./mvnw -q package -DskipTests, or pass --war)");
        }
    }

    private void refuseIfRunning() {
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

    private void writeConfig(ClusterConfig config) {
        Path resolved = runDir.resolve(RESOLVED_CONFIG);
        try {
            config.writeTo(resolved);
        } catch (IOException e) {
            throw new LaunchException("cannot write " + resolved + ": " + e.getMessage(), e);
        }
    }

    private ManagedProcess startRedisIfNeeded(ClusterConfig config) {
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

    private ManagedProcess startBalancer(ClusterConfig config) {
        List<String> command = javaCommand(config.nodeJvmOptions(), BalancerMain.class.getName());
        command.addAll(List.of("--config", runDir.resolve(RESOLVED_CONFIG).toString(),
                "--work-dir", runDir.resolve("work").resolve("balancer").toString()));
        ManagedProcess balancer = ManagedProcess.start("balancer", command, runDir.resolve("logs").resolve("balancer.log"));
        BalancerAdmin admin = BalancerAdmin.of(config);
        long deadline = System.currentTimeMillis() + config.nodeStartTimeoutSeconds() * 1000L;
        while (admin.status().isEmpty()) {
            if (!balancer.isAlive()) {
                throw new LaunchException("the balancer exited at start; the end of " + balancer.log() + ":\n" + balancer.logTail(15));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new LaunchException("the balancer did not answer within " + config.nodeStartTimeoutSeconds() + " s; the end of "
                        + balancer.log() + ":\n" + balancer.logTail(15));
            }
            RedisServer.pause(50);
        }
        options.progress().accept("started balancer (pid " + balancer.pid() + ") on http://" + config.balancerHost() + ":"
                + config.balancerPort() + "/ (policy " + config.balancerPolicy() + "), dashboard " + admin.baseUrl() + "/");
        return balancer;
    }

    private ManagedProcess startNodeProcess(ClusterConfig config, NodeAddress node) {
        List<String> command = javaCommand(config.nodeJvmOptions(), NodeMain.class.getName());
        command.addAll(List.of("--config", runDir.resolve(RESOLVED_CONFIG).toString(), "--name", node.name(),
                "--war", options.war().toAbsolutePath().toString(),
                "--work-dir", runDir.resolve("work").resolve(node.name()).toString()));
        ManagedProcess process = ManagedProcess.start(node.name(), command, runDir.resolve("logs").resolve(node.name() + ".log"));
        options.progress().accept("started " + node.name() + " (pid " + process.pid() + ") on " + node.httpBaseUrl());
        return process;
    }


    private static List<String> javaCommand(String jvmOptions, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Arrays.stream(jvmOptions.trim().split("\\s+")).filter(s -> !s.isEmpty()).forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
