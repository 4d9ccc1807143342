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
            new Scenario("local+round-robin", config("local", "round-robin")),
            new Scenario("local+sticky", config("local", "sticky")),
            new Scenario("delta", config("delta", "round-robin", ConfigKeys.CLUSTER_JVM_ROUTE_BINDER, "false")),
            new Scenario("backup", config("backup", "round-robin", ConfigKeys.CLUSTER_JVM_ROUTE_BINDER, "false")),
            new Scenario("redis", config("redis", "round-robin")),
            new Scenario("redis-cluster", config("redis", "round-robin", ConfigKeys.REDIS_EMBEDDED_CLUSTER, "true")),
            new Scenario("spring-session", config("spring-session", "round-robin")),
            new Scenario("redisson", config("redisson", "round-robin", ConfigKeys.REDIS_READ_MODE, "REDIS")),
            new Scenario(
                    "redisson-memory",
                    config(
                            "redisson",
                            "round-robin",
                            ConfigKeys.REDIS_READ_MODE,
                            "MEMORY",
                            ConfigKeys.REDIS_BROADCAST_SESSION_UPDATES,
                            "true")),
            new Scenario("disk", config("disk", "round-robin")));

    /** session.mode and balancer.policy, then further keys and values in pairs. */
    private static Map<String, String> config(String mode, String policy, String... more) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ConfigKeys.SESSION_MODE, mode);
        keys.put(ConfigKeys.BALANCER_POLICY, policy);
        for (int i = 0; i + 1 < more.length; i += 2) {
            keys.put(more[i], more[i + 1]);
        }
        return Map.copyOf(keys);
    }

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
