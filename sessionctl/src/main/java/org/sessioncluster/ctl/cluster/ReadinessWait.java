package org.sessioncluster.ctl.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.contract.BalancerStatus;
import org.sessioncluster.contract.NodeStatus;

/**
 * Waits, with a deadline, until every node answers {@code /_node/status} and sees all its peers (delta,
 * backup) and, with a balancer, until the balancer routes to it (it registered and is healthy). A node
 * that dies or misses the deadline fails the wait with the tail of its log. Also waits for the balancer to
 * answer, and for its warm-up to end.
 */
final class ReadinessWait {
    private final ClusterConfig config;
    private final Consumer<String> progress;

    ReadinessWait(ClusterConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    /** What is missing: the node's answer, its peers, or the balancer's routing (with the balancer's view). */
    private static String whyNotReady(ClusterNode node, int peers, Optional<BalancerAdmin> balancer) {
        Optional<NodeStatus> status = NodeStatusClient.fetch(node.address());
        if (status.isEmpty()) {
            return "it does not answer " + node.url() + "/_node/status";
        }
        if (!status.get().seesPeers(peers)) {
            return "it sees " + status.get().channelPeers() + " cluster peers (map: "
                    + status.get().mapPeers() + ") of " + peers;
        }
        return "it serves, but the balancer does not route to it (balancer's view: "
                + balancer.flatMap(BalancerAdmin::status)
                        .map(s -> s.nodes().stream()
                                .filter(n -> n.name().equals(node.name()))
                                .findFirst()
                                .map(n -> "registered " + n.registered() + ", healthy " + n.healthy() + ", state "
                                        + n.state() + ", last failure '" + n.lastFailure() + "'")
                                .orElse("not registered; it lists "
                                        + s.nodes().stream()
                                                .map(BalancerStatus.Backend::name)
                                                .toList()))
                        .orElse("the balancer does not answer")
                + ")";
    }

    /** Waits until one node answers its status page, whatever its peers (used to start Tribes nodes one by one). */
    void awaitServing(ClusterNode node) {
        long deadline = System.currentTimeMillis() + config.node().startTimeoutSeconds() * 1000L;
        while (NodeStatusClient.fetch(node.address()).isEmpty()) {
            if (!node.process().isAlive()) {
                throw new LaunchException(node.name() + " exited during start; the end of "
                        + node.process().log() + ":\n" + node.process().logTail(15));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new LaunchException(
                        node.name() + " did not serve within " + config.node().startTimeoutSeconds()
                                + " s (node.start.timeout.seconds); the end of "
                                + node.process().log() + ":\n"
                                + node.process().logTail(15));
            }
            RedisServer.pause(50);
        }
    }

    /** Waits for these nodes; with a balancer, also until it routes to each of them. */
    void awaitAll(List<ClusterNode> nodes, int tribesPeers, Optional<BalancerAdmin> balancer) {
        awaitAll(nodes, tribesPeers, balancer, true);
    }

    /**
     * @param routed with a balancer: wait until it routes to the node (else only until the node registered
     *               and is healthy: a node an operator disabled beforehand, like a blue-green green node)
     */
    void awaitAll(List<ClusterNode> nodes, int tribesPeers, Optional<BalancerAdmin> balancer, boolean routed) {
        long start = System.currentTimeMillis();
        long deadline = start + config.node().startTimeoutSeconds() * 1000L;
        int peers = config.sessionMode().usesTribes() ? tribesPeers : 0;
        List<ClusterNode> waiting = new ArrayList<>(nodes);
        while (!waiting.isEmpty()) {
            for (ClusterNode node : List.copyOf(waiting)) {
                if (!node.process().isAlive()) {
                    throw new LaunchException(node.name() + " exited during start; the end of "
                            + node.process().log() + ":\n" + node.process().logTail(15));
                }
                Optional<NodeStatus> status = NodeStatusClient.fetch(node.address());
                if (status.isPresent()
                        && status.get().seesPeers(peers)
                        && balancer.map(b -> routed ? b.routes(node.name()) : b.registeredAndHealthy(node.name()))
                                .orElse(true)) {
                    waiting.remove(node);
                    progress.accept(String.format(
                            "%s ready after %.1f s", node.name(), (System.currentTimeMillis() - start) / 1000.0));
                }
            }
            if (System.currentTimeMillis() > deadline) {
                ClusterNode late = waiting.get(0);
                throw new LaunchException(late.name() + " was not ready within "
                        + config.node().startTimeoutSeconds()
                        + " s (node.start.timeout.seconds): " + whyNotReady(late, peers, balancer) + "; the end of "
                        + late.process().log() + ":\n" + late.process().logTail(15));
            }
            if (!waiting.isEmpty()) {
                RedisServer.pause(100);
            }
        }
    }

    /** Waits until the balancer's admin API answers; says where it is. */
    void awaitBalancer(ManagedProcess balancer) {
        BalancerAdmin admin = BalancerAdmin.of(config);
        long deadline = System.currentTimeMillis() + config.node().startTimeoutSeconds() * 1000L;
        while (admin.status().isEmpty()) {
            if (!balancer.isAlive()) {
                throw new LaunchException(
                        "the balancer exited at start; the end of " + balancer.log() + ":\n" + balancer.logTail(15));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new LaunchException(
                        "the balancer did not answer within " + config.node().startTimeoutSeconds() + " s; the end of "
                                + balancer.log() + ":\n" + balancer.logTail(15));
            }
            RedisServer.pause(50);
        }
        progress.accept("started balancer (pid " + balancer.pid() + ") on "
                + (config.balancer().tlsKeystore().isPresent() ? "https" : "http") + "://"
                + config.balancer().host()
                + ":" + config.balancer().port() + "/ (policy "
                + config.balancer().policy() + "), dashboard "
                + admin.baseUrl() + "/");
    }

    /**
     * Waits until the balancer's warm-up has ended (at most node.start.timeout.seconds; past that it goes on, and
     * says so): a throw-away cluster's load and faults begin as soon as its start returns.
     */
    void awaitWarmUp() {
        long start = System.nanoTime();
        int limit = config.node().startTimeoutSeconds();
        if (BalancerAdmin.of(config).awaitWarmUp(Duration.ofSeconds(limit))) {
            progress.accept(
                    String.format("balancer's data path warmed after %.1f s", (System.nanoTime() - start) / 1e9));
        } else {
            progress.accept("the balancer's warm-up did not end within " + limit
                    + " s (node.start.timeout.seconds); going on, the first requests may be slower");
        }
    }
}
