package org.sessioncluster.ctl.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.sessioncluster.config.ClusterConfig;

/**
 * A started cluster: its resolved config (real ports, the run's admin token), its node processes, its
 * balancer and its Redis, if it started them.
 */
public final class RunningCluster implements AutoCloseable {
    private volatile ClusterConfig config;
    private final List<ClusterNode> nodes;
    private final ManagedProcess redis;
    private final List<ManagedProcess> redisHelpers = new CopyOnWriteArrayList<>();
    private volatile ManagedProcess balancer;
    private volatile BalancerAdmin balancerAdmin;
    private final Path runDir;
    /** Stops this cluster if sessionctl exits before {@link #close()} (SIGTERM, Ctrl-C); null when it outlives it. */
    private volatile ExitGuard closeAtExit;

    private volatile boolean closed;

    RunningCluster(
            ClusterConfig config, List<ClusterNode> nodes, ManagedProcess redis, ManagedProcess balancer, Path runDir) {
        this.config = config;
        this.nodes = new CopyOnWriteArrayList<>(nodes);
        this.redis = redis;
        this.balancer = balancer;
        this.runDir = runDir;
    }

    /** The cluster a run folder describes (for a later sessionctl command), or a LaunchException. */
    public static RunningCluster attach(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        RunState state = RunState.read(dir)
                .orElseThrow(() -> new ClusterStateException(
                        "no cluster is running from " + dir + " (start one with 'sessionctl up')"));
        ClusterConfig config = ClusterConfig.load(dir.resolve(ClusterLauncher.RESOLVED_CONFIG), java.util.Map.of());
        List<ClusterNode> nodes = new java.util.ArrayList<>();
        for (RunState.Proc proc : state.nodes()) {
            nodes.add(new ClusterNode(
                    config.node(proc.name()), proc.process(), proc.war() == null ? null : Path.of(proc.war())));
        }
        RunningCluster cluster = new RunningCluster(
                config,
                nodes,
                state.redis() == null ? null : state.redis().process(),
                state.balancer() == null ? null : state.balancer().process(),
                dir);
        state.redisHelpers().forEach(p -> cluster.redisHelpers.add(p.process()));
        return cluster;
    }

    public ClusterConfig config() {
        return config;
    }

    void setConfig(ClusterConfig config) {
        this.config = config;
    }

    public List<ClusterNode> nodes() {
        return List.copyOf(nodes);
    }

    void addNode(ClusterNode node) {
        nodes.add(node);
        killIfClosed(node.process());
    }

    void replaceNode(ClusterNode node) {
        nodes.replaceAll(n -> n.name().equals(node.name()) ? node : n);
        killIfClosed(node.process());
    }

    /** A node started while the cluster was being closed (a restart racing sessionctl's exit) goes with it. */
    private void killIfClosed(ManagedProcess process) {
        if (closed) {
            process.kill();
        }
    }

    /**
     * Makes this cluster end with the sessionctl that started it: when the JVM exits before {@link #close()} (the
     * command was stopped with SIGTERM or Ctrl-C), a shutdown hook kills its processes, so that a scenario that is
     * stopped leaves no node, balancer or Redis behind.
     */
    void closeAtExit() {
        closeAtExit = ExitGuard.onExit("stop-cluster-at-exit", this::close);
    }

    void removeNode(String name) {
        nodes.removeIf(n -> n.name().equals(name));
    }

    public ClusterNode node(String name) {
        return nodes.stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ClusterStateException("no node named '" + name + "'; this cluster has "
                        + nodes.stream().map(ClusterNode::name).toList()));
    }

    /** The Redis this cluster started (with Sentinel: the first primary), if it started one. */
    public Optional<ManagedProcess> redis() {
        return Optional.ofNullable(redis);
    }

    /** With an embedded Sentinel setup: the replica and the Sentinel. */
    public List<ManagedProcess> redisHelpers() {
        return List.copyOf(redisHelpers);
    }

    void addRedisHelpers(List<ManagedProcess> helpers) {
        redisHelpers.addAll(helpers);
    }

    /**
     * This cluster's processes by role, for a CPU meter: "nodes", "balancer", "redis" (with its replica, Sentinel or
     * cluster members) and "load" (this JVM, which runs the load).
     */
    public Map<String, List<Long>> processesByRole() {
        Map<String, List<Long>> roles = new LinkedHashMap<>();
        roles.put("nodes", nodes().stream().map(n -> n.process().pid()).toList());
        roles.put("balancer", balancer().map(b -> List.of(b.pid())).orElse(List.of()));
        List<Long> servers = new ArrayList<>();
        redis().map(ManagedProcess::pid).ifPresent(servers::add);
        redisHelpers().forEach(h -> servers.add(h.pid()));
        roles.put("redis", servers);
        roles.put("load", List.of(ProcessHandle.current().pid()));
        return roles;
    }

    public Optional<ManagedProcess> balancer() {
        return Optional.ofNullable(balancer);
    }

    void setBalancer(ManagedProcess balancer) {
        this.balancer = balancer;
    }

    /** The balancer's admin client, when this cluster runs a balancer. */
    public Optional<BalancerAdmin> balancerAdmin() {
        if (balancer == null) {
            return Optional.empty();
        }
        if (balancerAdmin == null) {
            balancerAdmin = BalancerAdmin.of(config);
        }
        return Optional.of(balancerAdmin);
    }

    /** The URL users send requests to: the balancer's. */
    public String balancerUrl() {
        if (balancer == null) {
            throw new IllegalStateException("this cluster runs without a balancer");
        }
        return (config.balancer().tlsKeystore().isPresent() ? "https://" : "http://")
                + config.balancer().host() + ":" + config.balancer().port();
    }

    public Path runDir() {
        return runDir;
    }

    RunState toState() {
        return new RunState(
                config.sessionMode().configName(),
                runDir.resolve(ClusterLauncher.RESOLVED_CONFIG).toString(),
                nodes.stream()
                        .map(n -> RunState.Proc.of(n.process(), n.url(), n.war()))
                        .toList(),
                redis == null ? null : RunState.Proc.of(redis, config.redis().address()),
                balancer == null ? null : RunState.Proc.of(balancer, balancerUrl()),
                redisHelpers.stream().map(p -> RunState.Proc.of(p, "")).toList());
    }

    /** Stops every node gracefully (SIGTERM), then the balancer, then Redis; forgets the run state. */
    public void stop(Duration grace) {
        ClusterShutdown.stop(toState(), runDir, grace, line -> {});
    }

    /**
     * Kills everything at once: for tests, throw-away clusters and aborted starts, where a graceful stop buys
     * nothing. A JVM that dumps the class-data archive as it exits is stopped instead (until the first archive
     * exists: one or two JVMs, once per build), or every later cluster would start without one.
     */
    @Override
    public void close() {
        closed = true;
        if (closeAtExit != null) {
            closeAtExit.close();
        }
        List<ManagedProcess> jvms = new ArrayList<>();
        nodes.forEach(n -> jvms.add(n.process()));
        if (balancer != null) {
            jvms.add(balancer);
        }
        Map<Boolean, List<ManagedProcess>> dumping =
                jvms.stream().collect(Collectors.partitioningBy(ClassDataArchive::dumpsAtExit));
        dumping.get(false).forEach(ManagedProcess::kill);
        dumping.get(true).parallelStream().forEach(p -> p.stop(ClassDataArchive.DUMP_GRACE));
        if (redis != null) {
            redis.kill();
        }
        redisHelpers.forEach(ManagedProcess::kill);
        RunState.delete(runDir);
    }
}
