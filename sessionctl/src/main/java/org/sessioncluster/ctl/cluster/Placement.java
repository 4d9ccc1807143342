package org.sessioncluster.ctl.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.ctl.network.NetworkLab;

/**
 * Where a cluster's processes run and which address and ports each one takes: all on node.host (loopback by
 * default) on free ports, or each in a network namespace of a {@link NetworkLab} on an address of its own.
 */
final class Placement {
    static final String BALANCER = "balancer";
    static final String REDIS = "redis";
    /** In a lab every namespace has its ports to itself: any port is free, they are only kept distinct. */
    private static final int LAB_FIRST_PORT = 20_000;

    private final NetworkLab lab;
    private int nextLabPort = LAB_FIRST_PORT;

    /** @param lab null: every process on node.host */
    Placement(NetworkLab lab) {
        this.lab = lab;
    }

    /** The config with every port chosen (and in a lab, every address), checked free where they are fixed. */
    ClusterConfig resolve(ClusterConfig config, boolean balancer) {
        if (lab == null) {
            return new PortPlan(balancer).resolve(config);
        }
        refuseWhatALabCannotRun(config);
        Map<String, String> set = new HashMap<>();
        set.put(ConfigKeys.CLUSTER_HOST, "");
        if (balancer) {
            String address = lab.member(BALANCER).address();
            set.put(ConfigKeys.BALANCER_HOST, address);
            set.put(ConfigKeys.BALANCER_ADMIN_HOST, address);
            set.put(ConfigKeys.BALANCER_PORT, Integer.toString(labPort()));
            set.put(ConfigKeys.BALANCER_ADMIN_PORT, Integer.toString(labPort()));
        }
        for (NodeAddress n : config.nodes()) {
            set.putAll(newNode(config, n.index()));
        }
        if (config.sessionMode().usesRedis()) {
            set.put(ConfigKeys.REDIS_EMBEDDED_PORT, Integer.toString(labPort()));
        }
        return config.with(set);
    }

    /** The settings of node {@code index} about to be added: its ports (and in a lab, its address). */
    Map<String, String> newNode(ClusterConfig config, int index) {
        boolean tribes = config.sessionMode().usesTribes();
        Map<String, String> set = new HashMap<>();
        List<Integer> ports;
        if (lab == null) {
            List<Integer> free = new ArrayList<>(Ports.free(config.nodeHost(), tribes ? 2 : 1));
            // where the config's port bases put this node, as for the nodes it started with (node-3 of a
            // cluster on 8081 and 8082 on 8083), unless that port is taken: then the free one
            byBase(config, ConfigKeys.NODE_HTTP_PORT_BASE, index).ifPresent(p -> free.set(0, p));
            if (tribes) {
                byBase(config, ConfigKeys.NODE_CLUSTER_PORT_BASE, index).ifPresent(p -> free.set(1, p));
            }
            ports = free;
        } else {
            set.put(
                    "node." + index + ".host",
                    lab.member(NodeAddress.nameOf(index)).address());
            ports = new ArrayList<>(List.of(labPort(), labPort()));
        }
        set.put("node." + index + ".http.port", Integer.toString(ports.get(0)));
        if (tribes) {
            set.put("node." + index + ".cluster.port", Integer.toString(ports.get(1)));
        }
        return set;
    }

    /** base + index − 1 when the base key is set (not 0) and that port is free on node.host. */
    private static OptionalInt byBase(ClusterConfig config, String baseKey, int index) {
        int base = Integer.parseInt(config.get(baseKey).trim());
        int port = base + index - 1;
        return base != 0 && port <= 65535 && Ports.isFree(config.nodeHost(), port)
                ? OptionalInt.of(port)
                : OptionalInt.empty();
    }

    /** Where the embedded Redis (and its helpers) listen. */
    String redisHost(ClusterConfig config) {
        return lab == null ? config.nodeHost() : lab.member(REDIS).address();
    }

    /**
     * Ports for the other nodes of an embedded Redis Cluster, beside redis.embedded.port: each free with its
     * cluster bus (port + 10000). In a lab all of them share Redis's namespace and address.
     */
    List<Integer> redisClusterPorts(ClusterConfig config, int count) {
        if (lab != null) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ports.add(labPort()); // from 20000 on: their buses (30000 on) meet no other lab port
            }
            return ports;
        }
        return Ports.freeWithBus(config.nodeHost(), count + 1).stream()
                .filter(p -> p != config.redis().embeddedPort()
                        && p != config.redis().embeddedPort() + 10000)
                .limit(count)
                .toList();
    }

    /** The command as the process of this role runs it: as it is, or inside its namespace. */
    List<String> command(String role, List<String> command) {
        return lab == null ? command : lab.inside(role, command);
    }

    private synchronized int labPort() {
        return nextLabPort++;
    }

    /**
     * A lab runs the Redis it needs in a namespace of its own, started here (one server, or the six of an embedded
     * Redis Cluster): nothing outside it, no Sentinel.
     */
    private static void refuseWhatALabCannotRun(ClusterConfig config) {
        if (!config.sessionMode().usesRedis()) {
            return;
        }
        String what = config.redis().embeddedSentinel()
                ? "an embedded Sentinel (redis.embedded.sentinel)"
                : !config.redis().address().isEmpty()
                        ? "a Redis of its own (redis.address)"
                        : !config.redis().clusterNodes().isEmpty()
                                ? "a Redis Cluster of its own (redis.cluster.nodes)"
                                : !config.redis().sentinels().isEmpty()
                                        ? "Sentinels of their own (redis.sentinels)"
                                        : !config.redis().ssh().isEmpty() ? "an SSH tunnel to Redis (redis.ssh)" : null;
        if (what != null) {
            throw new LaunchException("the shaped network runs an embedded Redis in a namespace of its own; this"
                    + " config asks for " + what + ": run it on the loopback network");
        }
    }
}
