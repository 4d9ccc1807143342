package org.sessioncluster.ctl.cluster;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;

/** Turns port 0 into free ports and checks, before anything starts, that every fixed port is free. */
final class PortPlan {
    private final boolean balancer;

    PortPlan(boolean balancer) {
        this.balancer = balancer;
    }

    ClusterConfig resolve(ClusterConfig config) {
        String host = config.nodeHost();
        boolean tribes = config.sessionMode().usesTribes();
        boolean embeddedRedis = config.sessionMode() == SessionMode.REDIS && config.redisAddress().isEmpty();
        Map<String, String> zeros = new HashMap<>();
        for (NodeAddress n : config.nodes()) {
            if (n.httpPort() == 0) {
                zeros.put("node." + n.index() + ".http.port", host);
            }
            if (tribes && n.clusterPort() == 0) {
                zeros.put("node." + n.index() + ".cluster.port", host);
            }
        }
        if (embeddedRedis && config.redisEmbeddedPort() == 0) {
            zeros.put("redis.embedded.port", host);
        }
        if (balancer && config.balancerPort() == 0) {
            zeros.put("balancer.port", config.balancerHost());
        }
        if (balancer && config.balancerAdminPort() == 0) {
            zeros.put("balancer.admin.port", config.balancerHost());
        }
        Iterator<Integer> free = Ports.free(host, zeros.size()).iterator();
        Map<String, String> set = new HashMap<>();
        zeros.keySet().forEach(key -> set.put(key, free.next().toString()));
        ClusterConfig resolved = config.with(set);

        for (NodeAddress n : resolved.nodes()) {
            Ports.requireFree(host, n.httpPort(), n.name() + " HTTP", "change node.http.port.base (0 = free ports) or stop what uses it");
            if (tribes) {
                Ports.requireFree(host, n.clusterPort(), n.name() + " cluster receiver",
                        "change node.cluster.port.base (0 = free ports) or stop what uses it");
            }
        }
        if (embeddedRedis) {
            Ports.requireFree(host, resolved.redisEmbeddedPort(), "embedded Redis",
                    "change redis.embedded.port (0 = a free port) or point redis.address at that Redis");
        }
        if (balancer) {
            Ports.requireFree(resolved.balancerHost(), resolved.balancerPort(), "balancer",
                    "change balancer.port (0 = a free port) or stop what uses it");
            Ports.requireFree(resolved.balancerHost(), resolved.balancerAdminPort(), "balancer admin API",
                    "change balancer.admin.port (0 = a free port) or stop what uses it");
        }
        return resolved;
    }
}
