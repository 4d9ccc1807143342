package org.sessioncluster.ctl.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;

/** Turns port 0 into free ports and checks, before anything starts, that every fixed port is free. */
public final class PortPlan {
    private final boolean balancer;

    public PortPlan(boolean balancer) {
        this.balancer = balancer;
    }

    public ClusterConfig resolve(ClusterConfig config) {
        String host = config.nodeHost();
        boolean tribes = config.sessionMode().usesTribes();
        boolean embeddedRedis = config.sessionMode().usesRedis()
                && config.redis().address().isEmpty()
                && config.redis().clusterNodes().isEmpty();
        boolean redisCluster = embeddedRedis && config.redis().embeddedCluster();
        List<String> zeros = new ArrayList<>(); // keys whose port is still 0
        for (NodeAddress n : config.nodes()) {
            if (n.httpPort() == 0) {
                zeros.add("node." + n.index() + ".http.port");
            }
            if (tribes && n.clusterPort() == 0) {
                zeros.add("node." + n.index() + ".cluster.port");
            }
        }
        if (embeddedRedis && config.redis().embeddedPort() == 0 && !redisCluster) {
            zeros.add(ConfigKeys.REDIS_EMBEDDED_PORT);
        }
        if (balancer && config.balancer().port() == 0) {
            zeros.add(ConfigKeys.BALANCER_PORT);
        }
        if (balancer && config.balancer().adminPort() == 0) {
            zeros.add(ConfigKeys.BALANCER_ADMIN_PORT);
        }
        Iterator<Integer> free = Ports.free(host, zeros.size()).iterator();
        Map<String, String> set = new HashMap<>();
        zeros.forEach(key -> set.put(key, free.next().toString()));
        if (redisCluster && config.redis().embeddedPort() == 0) {
            set.put(
                    ConfigKeys.REDIS_EMBEDDED_PORT,
                    Ports.freeWithBus(host, 1).get(0).toString());
        }
        ClusterConfig resolved = config.with(set);

        for (NodeAddress n : resolved.nodes()) {
            Ports.requireFree(
                    host,
                    n.httpPort(),
                    n.name() + " HTTP",
                    "change node.http.port.base (0 = free ports) or stop what uses it");
            if (tribes) {
                Ports.requireFree(
                        n.clusterHost(),
                        n.clusterPort(),
                        n.name() + " cluster receiver",
                        "change node.cluster.port.base (0 = free ports) or stop what uses it");
            }
        }
        if (embeddedRedis) {
            Ports.requireFree(
                    host,
                    resolved.redis().embeddedPort(),
                    "embedded Redis",
                    "change redis.embedded.port (0 = a free port) or point redis.address at that Redis");
        }
        if (redisCluster) {
            Ports.requireFree(
                    host,
                    resolved.redis().embeddedPort() + 10000,
                    "the embedded Redis Cluster's bus (redis.embedded.port + 10000)",
                    "change redis.embedded.port (0 = a free port, below 55536)");
        }
        if (balancer) {
            Ports.requireFree(
                    resolved.balancer().host(),
                    resolved.balancer().port(),
                    "balancer",
                    "change balancer.port (0 = a free port) or stop what uses it");
            Ports.requireFree(
                    resolved.balancer().adminHost(),
                    resolved.balancer().adminPort(),
                    "balancer admin API",
                    "change balancer.admin.port (0 = a free port) or stop what uses it");
        }
        return resolved;
    }
}
