package org.sessioncluster.ctl.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.BadInputException;
import org.sessioncluster.ctl.network.NetworkLab;

/**
 * Starts a cluster: picks free ports where the config says 0, starts Redis when the redis mode needs
 * one, starts the balancer (which holds the node registry), writes the resolved config every process
 * reads, starts one JVM per node and waits until each one serves, sees its cluster peers and is routed
 * to by the balancer.
 */
public final class ClusterLauncher {
    /** The config every process of a cluster reads, ports resolved, in its run folder. */
    public static final String RESOLVED_CONFIG = "cluster.properties";

    /**
     * How to launch.
     *
     * @param war         the WAR every node runs
     * @param runDir      where logs, work folders, the resolved config and the run state go
     * @param redisBinary which redis-server to run when an embedded Redis is needed
     * @param balancer    whether to start the balancer (and have nodes register with it)
     * @param progress    receives one line per step, for the user
     * @param network     null: every process on node.host; else each in a namespace of this lab
     * @param redisFront  null: the nodes connect to the embedded Redis itself; else to what this puts in front
     * @param outlivesCommand true (up): the cluster keeps running after sessionctl exits, for later commands, and
     *     {@link #start} returns before the balancer's warm-up has ended ({@code load} waits for it); false (a
     *     scenario's throw-away cluster, a test's): its processes are killed when sessionctl exits, however it exits,
     *     and {@link #start} returns once the warm-up (begun at the balancer's start) has ended
     */
    public record Options(
            Path war,
            Path runDir,
            RedisServer.Binary redisBinary,
            boolean balancer,
            Consumer<String> progress,
            NetworkLab network,
            RedisFront redisFront,
            boolean outlivesCommand) {
        public Options(
                Path war, Path runDir, RedisServer.Binary redisBinary, boolean balancer, Consumer<String> progress) {
            this(war, runDir, redisBinary, balancer, progress, null, null, false);
        }

        public Options(
                Path war,
                Path runDir,
                RedisServer.Binary redisBinary,
                boolean balancer,
                Consumer<String> progress,
                NetworkLab network) {
            this(war, runDir, redisBinary, balancer, progress, network, null, false);
        }

        public Options withRedisFront(RedisFront front) {
            return new Options(war, runDir, redisBinary, balancer, progress, network, front, outlivesCommand);
        }

        /** The same, for a cluster that keeps running after this sessionctl exits ({@code up}). */
        public Options outlivingCommand() {
            return new Options(war, runDir, redisBinary, balancer, progress, network, redisFront, true);
        }
    }

    /**
     * Something that stands between the nodes and the one embedded Redis (a proxy that can make it slow): given
     * where Redis listens, it answers the host:port the nodes connect to.
     */
    @FunctionalInterface
    public interface RedisFront {
        String address(String redisHost, int redisPort);
    }

    private final Options options;
    private final Path runDir;
    private final Placement placement;

    public ClusterLauncher(Options options) {
        this.options = options;
        this.runDir = options.runDir().toAbsolutePath().normalize();
        this.placement = new Placement(options.network());
    }

    public RunningCluster start(ClusterConfig requested) {
        refuseIfRunning();
        requireWar(options.war());
        ClusterConfig config = placement.resolve(requested, options.balancer());
        if (options.balancer()) {
            String token = config.balancer().adminToken().isEmpty()
                    ? newToken()
                    : config.balancer().adminToken();
            config = config.with(Map.of(
                    ConfigKeys.BALANCER_ADMIN_TOKEN,
                    token,
                    ConfigKeys.REGISTRY_URL,
                    "http://" + config.balancer().adminHost() + ":"
                            + config.balancer().adminPort()));
        } else {
            config = config.with(Map.of(ConfigKeys.REGISTRY_URL, ""));
        }
        if (config.sessionMode() == SessionMode.DISK
                && config.session().storeDir().isBlank()) {
            config = config.with(Map.of(
                    ConfigKeys.SESSION_STORE_DIR, runDir.resolve("sessions").toString()));
        }
        EmbeddedRedis.Started redis = new EmbeddedRedis(options, runDir, placement).start(config);
        config = redis.config();
        RunningCluster cluster = new RunningCluster(config, new ArrayList<>(), redis.primary(), null, runDir);
        cluster.addRedisHelpers(redis.helpers());
        if (!options.outlivesCommand()) {
            cluster.closeAtExit();
        }
        try {
            writeConfig(config);
            // the balancer's JVM boots while the nodes' do: a node that comes up first retries its registration
            ManagedProcess balancer = options.balancer() ? startBalancer(config) : null;
            if (balancer != null) {
                cluster.setBalancer(balancer);
            }
            ReadinessWait readiness = new ReadinessWait(config, options.progress());
            for (NodeAddress address : config.nodes()) {
                ClusterNode node = new ClusterNode(
                        address,
                        startNodeProcess(config, address, options.war()),
                        options.war().toAbsolutePath());
                cluster.addNode(node);
                cluster.toState().write(runDir);
                if (config.sessionMode().usesTribes() && address.index() < config.nodeCount()) {
                    // Tribes nodes start one after the other: a DeltaManager that asks a peer for the
                    // session state while that peer's own manager is not registered yet gets no answer
                    // and waits for the whole state-transfer timeout.
                    readiness.awaitServing(node);
                }
            }
            if (balancer != null) {
                readiness.awaitBalancer(balancer);
            }
            readiness.awaitAll(cluster.nodes(), config.nodeCount() - 1, cluster.balancerAdmin());
            if (balancer != null && !options.outlivesCommand()) {
                // a scenario's load and faults begin as soon as this returns: not while the balancer's warm-up
                // takes CPU and leaves the data path to the interpreter. It began with the balancer, sharing the
                // cores with the nodes' boot, and has mostly ended by now; up's balancer begins it once the nodes
                // have registered instead, so that up returns sooner (load waits for it then)
                readiness.awaitWarmUp();
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /**
     * Starts a node that was killed or stopped again, under the same name and ports, with the WAR it ran
     * before (after a rollout: the new version); waits until it is ready.
     */
    public ClusterNode restartNode(RunningCluster cluster, String name) {
        Path previous = cluster.node(name).war();
        return restartNode(cluster, name, previous != null ? previous : options.war());
    }

    /**
     * Starts a stopped node again under the same name and ports, running this WAR (a rolling update's new
     * version); waits until it serves, sees its peers (delta and backup: it has the session state) and is routed to.
     */
    public ClusterNode restartNode(RunningCluster cluster, String name, Path war) {
        ClusterNode old = cluster.node(name);
        if (old.process().isAlive()) {
            throw new ClusterStateException(
                    name + " is still running (pid " + old.process().pid() + "); stop or kill it first");
        }
        requireWar(war);
        ClusterNode fresh = new ClusterNode(
                old.address(), startNodeProcess(cluster.config(), old.address(), war), war.toAbsolutePath());
        cluster.replaceNode(fresh);
        cluster.toState().write(runDir);
        new ReadinessWait(cluster.config(), options.progress())
                .awaitAll(List.of(fresh), livePeers(cluster), cluster.balancerAdmin());
        return fresh;
    }

    /** Adds one node running the launcher's WAR. */
    public ClusterNode addNode(RunningCluster cluster) {
        return addNode(cluster, options.war());
    }

    /**
     * Adds one node to a running cluster, running this WAR; it registers with the balancer and gets traffic.
     * In delta and backup modes the new node lists every node as a static member and says hello to them;
     * Tribes' static membership adds a member that says hello, so the running nodes take it in and the new
     * node receives the session state before it serves.
     */
    public ClusterNode addNode(RunningCluster cluster, Path war) {
        return addNode(cluster, war, true);
    }

    /**
     * Adds nodes until the cluster has {@code nodes}: started together and awaited together, except in delta and
     * backup modes, where each joins after the one before (see {@link #start}: a node that asks for the session
     * state before a peer's manager is registered waits out the state-transfer timeout).
     */
    public void growTo(RunningCluster cluster, int nodes) {
        if (cluster.config().sessionMode().usesTribes()) {
            while (cluster.nodes().size() < nodes) {
                addNode(cluster);
            }
            return;
        }
        int from = cluster.config().nodeCount();
        if (nodes <= from) {
            return;
        }
        if (nodes > ClusterConfig.MAX_NODES) {
            throw new ClusterStateException(
                    "cannot grow to " + nodes + " nodes (at most " + ClusterConfig.MAX_NODES + ")");
        }
        ClusterConfig config = cluster.config();
        Map<String, String> more = new java.util.HashMap<>();
        more.put(ConfigKeys.NODES, Integer.toString(nodes));
        for (int i = from + 1; i <= nodes; i++) {
            more.putAll(placement.newNode(config, i));
        }
        ClusterConfig grown = config.with(more);
        writeConfig(grown);
        cluster.setConfig(grown);
        List<ClusterNode> added = new ArrayList<>();
        for (int i = from + 1; i <= nodes; i++) {
            NodeAddress address = grown.node(NodeAddress.nameOf(i));
            ClusterNode node = new ClusterNode(
                    address,
                    startNodeProcess(grown, address, options.war()),
                    options.war().toAbsolutePath());
            cluster.addNode(node);
            added.add(node);
        }
        cluster.toState().write(runDir);
        new ReadinessWait(grown, options.progress()).awaitAll(added, 0, cluster.balancerAdmin(), true);
    }

    /** The name the next added node gets. */
    public static String nextNodeName(RunningCluster cluster) {
        return NodeAddress.nameOf(cluster.config().nodeCount() + 1);
    }

    /**
     * @param routed wait until the balancer routes to it; false: until it registered and is healthy (its
     *               balancer entry was disabled beforehand, see {@link #nextNodeName})
     */
    public ClusterNode addNode(RunningCluster cluster, Path war, boolean routed) {
        ClusterConfig config = cluster.config();
        if (config.nodeCount() >= ClusterConfig.MAX_NODES) {
            throw new ClusterStateException("cannot add a node: this cluster already has " + config.nodeCount()
                    + " configured (at most " + ClusterConfig.MAX_NODES + ")");
        }
        requireWar(war);
        int index = config.nodeCount() + 1;
        Map<String, String> more = new java.util.HashMap<>();
        more.put(ConfigKeys.NODES, Integer.toString(index));
        more.putAll(placement.newNode(config, index));
        ClusterConfig grown = config.with(more);
        writeConfig(grown);
        cluster.setConfig(grown);
        NodeAddress address = grown.node(NodeAddress.nameOf(index));
        ClusterNode node = new ClusterNode(address, startNodeProcess(grown, address, war), war.toAbsolutePath());
        cluster.addNode(node);
        cluster.toState().write(runDir);
        new ReadinessWait(grown, options.progress())
                .awaitAll(List.of(node), livePeers(cluster), cluster.balancerAdmin(), routed);
        return node;
    }

    /**
     * Stops a node gracefully (SIGTERM: it deregisters, Tribes says goodbye, sessions stay with the peers or
     * the store) and forgets it: the end of a node a blue-green or canary rollout replaced.
     */
    public void retireNode(RunningCluster cluster, String name, java.time.Duration grace) {
        cluster.node(name).process().stop(grace);
        cluster.removeNode(name);
        cluster.toState().write(runDir);
    }

    /** Cluster peers each live node should see: the other live nodes (Tribes modes), else none. */
    private static int livePeers(RunningCluster cluster) {
        if (!cluster.config().sessionMode().usesTribes()) {
            return 0;
        }
        return (int) cluster.nodes().stream().filter(n -> n.process().isAlive()).count() - 1;
    }

    /** Refuses a WAR that is not there, before anything starts: the user's input (exit 2). */
    public static void requireWar(Path war) {
        if (!Files.isRegularFile(war)) {
            // the user's input, refused before anything starts (exit 2), as make-war --from refuses a missing WAR
            throw new BadInputException(
                    "WAR not found: " + war + " (build it with ./mvnw -q package -DskipTests, or pass --war)");
        }
    }

    /** Refuses to start a second cluster in a run folder whose cluster still runs (exit 1, the cluster's state). */
    public void refuseIfRunning() {
        Optional<RunState> state = RunState.read(runDir);
        if (state.isPresent()) {
            List<ManagedProcess> live = state.get().liveProcesses();
            if (!live.isEmpty()) {
                throw new ClusterStateException("a cluster is already running from " + runDir + " ("
                        + live.stream().map(p -> p.name() + " pid " + p.pid()).toList()
                        + "); run 'sessionctl down' first");
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

    private ManagedProcess startBalancer(ClusterConfig config) {
        return ManagedProcess.start(
                "balancer",
                placement.command(Placement.BALANCER, JvmCommands.balancer(config, runDir, !options.outlivesCommand())),
                runDir.resolve("logs").resolve("balancer.log"));
    }

    private ManagedProcess startNodeProcess(ClusterConfig config, NodeAddress node, Path war) {
        ManagedProcess process = ManagedProcess.start(
                node.name(),
                placement.command(node.name(), JvmCommands.node(config, node, war, runDir)),
                runDir.resolve("logs").resolve(node.name() + ".log"));
        options.progress()
                .accept("started " + node.name() + " (pid " + process.pid() + ") on " + node.httpBaseUrl()
                        + (war.equals(options.war()) ? "" : " with " + war.getFileName()));
        return process;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
