package org.sessioncluster.ctl.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sessioncluster.config.ConfigKeys;

/**
 * A way of running the cluster that the comparison measures: a session mode, a balancer policy and any
 * other config keys. Replication and session-server modes run behind round-robin (any request may land on
 * any node, so stale copies would show) with the jvmRoute binder off (it would rename the session id on
 * nearly every request).
 */
public record Scenario(String name, Map<String, String> config) {

    public static final List<Scenario> ALL = List.of(
            new Scenario(
                    "local+round-robin",
                    Map.of(ConfigKeys.SESSION_MODE, "local", ConfigKeys.BALANCER_POLICY, "round-robin")),
            new Scenario(
                    "local+sticky", Map.of(ConfigKeys.SESSION_MODE, "local", ConfigKeys.BALANCER_POLICY, "sticky")),
            new Scenario(
                    "delta",
                    Map.of(
                            ConfigKeys.SESSION_MODE,
                            "delta",
                            ConfigKeys.BALANCER_POLICY,
                            "round-robin",
                            ConfigKeys.CLUSTER_JVM_ROUTE_BINDER,
                            "false")),
            new Scenario(
                    "backup",
                    Map.of(
                            ConfigKeys.SESSION_MODE,
                            "backup",
                            ConfigKeys.BALANCER_POLICY,
                            "round-robin",
                            ConfigKeys.CLUSTER_JVM_ROUTE_BINDER,
                            "false")),
            new Scenario("redis", Map.of(ConfigKeys.SESSION_MODE, "redis", ConfigKeys.BALANCER_POLICY, "round-robin")),
            new Scenario(
                    "redis-cluster",
                    Map.of(
                            ConfigKeys.SESSION_MODE,
                            "redis",
                            ConfigKeys.BALANCER_POLICY,
                            "round-robin",
                            ConfigKeys.REDIS_EMBEDDED_CLUSTER,
                            "true")),
            new Scenario(
                    "spring-session",
                    Map.of(ConfigKeys.SESSION_MODE, "spring-session", ConfigKeys.BALANCER_POLICY, "round-robin")),
            new Scenario(
                    "redisson",
                    Map.of(
                            ConfigKeys.SESSION_MODE,
                            "redisson",
                            ConfigKeys.BALANCER_POLICY,
                            "round-robin",
                            ConfigKeys.REDIS_READ_MODE,
                            "REDIS")),
            new Scenario(
                    "redisson-memory",
                    Map.of(
                            ConfigKeys.SESSION_MODE,
                            "redisson",
                            ConfigKeys.BALANCER_POLICY,
                            "round-robin",
                            ConfigKeys.REDIS_READ_MODE,
                            "MEMORY",
                            ConfigKeys.REDIS_BROADCAST_SESSION_UPDATES,
                            "true")),
            new Scenario("disk", Map.of(ConfigKeys.SESSION_MODE, "disk", ConfigKeys.BALANCER_POLICY, "round-robin")));

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
