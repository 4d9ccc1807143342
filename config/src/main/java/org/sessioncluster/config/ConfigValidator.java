package org.sessioncluster.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;

/** The checks a config must pass before anything uses it: known keys, allowed values, ports, combinations. */
final class ConfigValidator {
    private final ClusterConfig config;
    private final Map<String, String> values;
    private final ConfigOrigin origin;
    /** Where the values come from together, for the checks of several keys. */
    private final String source;

    private ConfigValidator(ClusterConfig config, Map<String, String> values, ConfigOrigin origin) {
        this.config = config;
        this.values = values;
        this.origin = origin;
        this.source = origin.all();
    }

    /** Known keys, each value allowed: before anything parses them. */
    static void checkValues(Map<String, String> values, ConfigOrigin origin) {
        new ConfigValidator(null, values, origin).values();
    }

    /** Port ranges, Redis combinations, distinct ports: on a config whose values parse. */
    static void checkCombinations(ClusterConfig config, Map<String, String> values, ConfigOrigin origin) {
        ConfigValidator v = new ConfigValidator(config, values, origin);
        v.checkPortRanges();
        v.checkRedis();
        v.checkDistinctPorts();
    }

    private void values() {
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            String key = e.getKey();
            String unknown = ConfigKeys.checkKnown(key);
            if (unknown != null) {
                throw new ConfigException(origin.of(key) + ": " + unknown);
            }
            ConfigKey spec = ConfigKeys.ALL.get(key);
            if (spec != null && !spec.check().test(e.getValue())) {
                throw bad(key, e.getValue(), spec.allowed());
            }
            Matcher m = ConfigKeys.NODE_PORT.matcher(key);
            if (m.matches()) {
                checkNodeIndex(key, Integer.parseInt(m.group(1)));
                checkNumber(key, e.getValue(), 1, 65535, "a port from 1 to 65535");
            }
            Matcher h = ConfigKeys.NODE_N_HOST.matcher(key);
            if (h.matches()) {
                checkNodeIndex(key, Integer.parseInt(h.group(1)));
                if (e.getValue().isBlank() || e.getValue().trim().contains(" ")) {
                    throw bad(key, e.getValue(), "a host name or IP address without spaces");
                }
            }
            Matcher w = ConfigKeys.NODE_WEIGHT.matcher(key);
            if (w.matches()) {
                checkNodeIndex(key, Integer.parseInt(w.group(1)));
                checkNumber(key, e.getValue(), 0, ConfigKeys.MAX_WEIGHT, "a weight from 0 to " + ConfigKeys.MAX_WEIGHT);
            }
        }
    }

    private void checkNodeIndex(String key, int index) {
        int max = Integer.parseInt(
                values.getOrDefault("nodes", ConfigKeys.ALL.get("nodes").defaultValue())
                        .trim());
        if (index < 1 || index > max) {
            throw new ConfigException(origin.of(key) + ": key '" + key + "' names node " + index + " but nodes = " + max
                    + "; allowed: node.1 .. node." + max);
        }
    }

    private void checkNumber(String key, String value, int min, int max, String allowed) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw bad(key, value, allowed);
            }
        } catch (NumberFormatException ex) {
            throw bad(key, value, allowed);
        }
    }

    private void checkRedis() {
        if (!config.redis().ssh().isEmpty() && config.get("redis.ssh.identity").isBlank()) {
            throw new ConfigException(
                    source + ": redis.ssh = '" + config.redis().ssh()
                            + "' needs redis.ssh.identity (the private key that logs in to the bastion)");
        }
        if (!config.redis().ssh().isEmpty()
                && (!config.redis().sentinels().isEmpty() || config.redis().embeddedSentinel())) {
            throw new ConfigException(
                    source + ": redis.ssh cannot be combined with Sentinel (redis.sentinels, redis.embedded.sentinel):"
                            + " Sentinel hands out the primary's own address, which a tunnel would not cover");
        }
        if (!config.redis().username().isEmpty() && config.redis().password().isEmpty()) {
            throw new ConfigException(
                    source + ": redis.username = '" + config.redis().username() + "' needs redis.password (or the env"
                            + " REDIS_PASSWORD): an ACL user logs in with a password");
        }
        if (config.sessionMode() == SessionMode.REDISSON
                && config.redis().syncReplicas() > 0
                && !"DEFAULT".equals(config.redis().updateMode())) {
            throw new ConfigException(
                    source + ": redis.sync.replicas needs redis.update.mode = DEFAULT (with AFTER_REQUEST"
                            + " Redisson saves the session after the sync has run)");
        }
        boolean sentinel =
                !config.redis().sentinels().isEmpty() || config.redis().embeddedSentinel();
        if (config.redis().isCluster() && sentinel) {
            throw new ConfigException(source + ": a Redis Cluster (redis.cluster.nodes, redis.embedded.cluster) cannot"
                    + " be combined with Sentinel (redis.sentinels, redis.embedded.sentinel): the cluster fails over"
                    + " by itself");
        }
        if (config.redis().isCluster() && !config.redis().address().isEmpty()) {
            throw new ConfigException(source + ": redis.address and a Redis Cluster (redis.cluster.nodes,"
                    + " redis.embedded.cluster) are both set: leave redis.address empty");
        }
        if (config.redis().embeddedCluster() && !config.redis().clusterNodes().isEmpty()) {
            throw new ConfigException(source + ": redis.embedded.cluster=true starts a cluster of its own: leave"
                    + " redis.cluster.nodes empty, or set redis.embedded.cluster=false to use the listed one");
        }
        if (config.redis().isCluster() && !config.redis().ssh().isEmpty()) {
            throw new ConfigException(source + ": redis.ssh cannot be combined with a Redis Cluster: the cluster"
                    + " hands out its nodes' own addresses, which a tunnel would not cover");
        }
        if (!config.redis().sentinels().isEmpty() && !config.redis().address().isEmpty()) {
            throw new ConfigException(
                    source + ": redis.address and redis.sentinels are both set; with Sentinel the nodes ask the"
                            + " Sentinels where the primary is: leave redis.address empty");
        }
    }

    private void checkPortRanges() {
        for (String kind : List.of("http", "cluster")) {
            String key = "node." + kind + ".port.base";
            int base = Integer.parseInt(config.get(key));
            if (base != 0 && base + config.nodeCount() - 1 > 65535) {
                throw bad(
                        key,
                        config.get(key),
                        "a base such that base + nodes - 1 <= 65535 (nodes = " + config.nodeCount()
                                + "), or 0 for free ports");
            }
        }
    }

    private void checkDistinctPorts() {
        Map<Integer, String> used = new HashMap<>();
        for (NodeAddress n : config.nodes()) {
            claim(used, n.httpPort(), n.name() + " HTTP");
            if (config.sessionMode().usesTribes()) {
                claim(used, n.clusterPort(), n.name() + " cluster");
            }
        }
        if (config.sessionMode().usesRedis()
                && config.redis().address().isEmpty()
                && config.redis().sentinels().isEmpty()
                && config.redis().clusterNodes().isEmpty()) {
            claim(used, config.redis().embeddedPort(), "embedded Redis (redis.embedded.port)");
        }
        claim(used, config.balancer().port(), "the balancer (balancer.port)");
        claim(used, config.balancer().adminPort(), "the balancer admin API (balancer.admin.port)");
    }

    private void claim(Map<Integer, String> used, int port, String what) {
        if (port == 0) {
            return;
        }
        String previous = used.putIfAbsent(port, what);
        if (previous != null) {
            throw new ConfigException(source + ": port " + port + " is given to both " + previous + " and " + what
                    + "; every port must be different (check node.http.port.base, node.cluster.port.base,"
                    + " node.<i>.*.port, redis.embedded.port, balancer.port and balancer.admin.port)");
        }
    }

    private ConfigException bad(String key, String value, String allowed) {
        return new ConfigException(
                origin.of(key) + ": " + key + " = '" + value + "' is not allowed; allowed: " + allowed);
    }
}
