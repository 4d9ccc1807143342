package org.sessioncluster.ctl.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A way of running the cluster that the comparison measures: a session mode, a balancer policy and any
 * other config keys. Replication and session-server modes run behind round-robin (any request may land on
 * any node, so stale copies would show) with the jvmRoute binder off (it would rename the session id on
 * nearly every request).
 */
public record Scenario(String name, Map<String, String> config) {

    public static final List<Scenario> ALL = List.of(
            new Scenario("local+round-robin", Map.of("session.mode", "local", "balancer.policy", "round-robin")),
            new Scenario("local+sticky", Map.of("session.mode", "local", "balancer.policy", "sticky")),
            new Scenario(
                    "delta",
                    Map.of(
                            "session.mode",
                            "delta",
                            "balancer.policy",
                            "round-robin",
                            "cluster.jvm.route.binder",
                            "false")),
            new Scenario(
                    "backup",
                    Map.of(
                            "session.mode",
                            "backup",
                            "balancer.policy",
                            "round-robin",
                            "cluster.jvm.route.binder",
                            "false")),
            new Scenario("redis", Map.of("session.mode", "redis", "balancer.policy", "round-robin")),
            new Scenario(
                    "redis-cluster",
                    Map.of(
                            "session.mode",
                            "redis",
                            "balancer.policy",
                            "round-robin",
                            "redis.embedded.cluster",
                            "true")),
            new Scenario("spring-session", Map.of("session.mode", "spring-session", "balancer.policy", "round-robin")),
            new Scenario(
                    "redisson",
                    Map.of("session.mode", "redisson", "balancer.policy", "round-robin", "redis.read.mode", "REDIS")),
            new Scenario(
                    "redisson-memory",
                    Map.of(
                            "session.mode",
                            "redisson",
                            "balancer.policy",
                            "round-robin",
                            "redis.read.mode",
                            "MEMORY",
                            "redis.broadcast.session.updates",
                            "true")),
            new Scenario("disk", Map.of("session.mode", "disk", "balancer.policy", "round-robin")));

    public static String names() {
        return ALL.stream().map(Scenario::name).collect(Collectors.joining(", "));
    }

    /** The scenarios with these names, in the order given; an unknown name is an IllegalArgumentException naming the known ones. */
    public static List<Scenario> named(List<String> names) {
        Map<String, Scenario> byName = new LinkedHashMap<>();
        ALL.forEach(s -> byName.put(s.name(), s));
        return names.stream()
                .map(n -> {
                    Scenario s = byName.get(n.trim());
                    if (s == null) {
                        throw new IllegalArgumentException("unknown scenario '" + n + "'; allowed: " + names());
                    }
                    return s;
                })
                .toList();
    }
}
