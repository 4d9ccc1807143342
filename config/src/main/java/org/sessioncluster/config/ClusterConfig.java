package org.sessioncluster.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster as {@code cluster.properties} (plus command-line overrides) describes it, validated.
 * Instances are immutable; {@link #with(Map)} gives a copy with more overrides.
 */
public final class ClusterConfig {
    private final Map<String, String> values;
    private final Path baseDir;
    private final ConfigOrigin origin;
    private final RedisConfig redis;
    private final BalancerConfig balancer;
    private final RegistryConfig registry;
    private final ChannelConfig channel;
    private final SessionConfig session;
    private final NodeConfig node;

    private ClusterConfig(Map<String, String> values, Path baseDir, ConfigOrigin origin) {
        this.values = Map.copyOf(values);
        this.baseDir = baseDir;
        this.origin = origin;
        ConfigValidator.checkValues(this.values, origin); // every value parses before the records read them
        this.redis = RedisConfig.read(this);
        this.balancer = BalancerConfig.read(this);
        this.registry = RegistryConfig.read(this);
        this.channel = ChannelConfig.read(this);
        this.session = SessionConfig.read(this);
        this.node = NodeConfig.read(this);
        ConfigValidator.checkCombinations(this, this.values, origin);
    }

    /** The redis.* keys: where Redis is, how nodes reach it, how the Redis modes use it. */
    public RedisConfig redis() {
        return redis;
    }

    /** The balancer.* keys: the embedded balancer's listeners, policy, health checks, limits, TLS and JVM. */
    public BalancerConfig balancer() {
        return balancer;
    }

    /** The registry.* keys: the Eureka-style registry nodes renew their entry in. */
    public RegistryConfig registry() {
        return registry;
    }

    /** The cluster.* keys: the Tribes channel of the delta and backup modes. */
    public ChannelConfig channel() {
        return channel;
    }

    /** The session.* keys besides the mode: timeout, allowed classes, payload limit, the disk mode's folder. */
    public SessionConfig session() {
        return session;
    }

    /** The node.* keys every node shares: JVM options, start timeout, trusted proxies. */
    public NodeConfig node() {
        return node;
    }

    /**
     * Reads a properties file and applies overrides on top (overrides win); an error in an override's value names
     * the command line, where overrides come from, not the file.
     */
    public static ClusterConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> map = ConfigFile.read(file);
        map.putAll(overrides);
        Path abs = file.toAbsolutePath().normalize();
        return new ClusterConfig(
                map, abs.getParent(), new ConfigOrigin(abs.getFileName().toString(), overrides.keySet()));
    }

    /** A config made of the given values only (defaults for the rest); relative paths resolve against baseDir. */
    public static ClusterConfig of(Map<String, String> values, Path baseDir) {
        return new ClusterConfig(
                values, baseDir.toAbsolutePath().normalize(), new ConfigOrigin("cluster.properties", Set.of()));
    }

    /** A copy with these keys set (they win over the current values). */
    public ClusterConfig with(Map<String, String> overrides) {
        Map<String, String> map = new HashMap<>(values);
        map.putAll(overrides);
        return new ClusterConfig(map, baseDir, origin);
    }

    /** Writes every value in effect, defaults included, with paths made absolute. */
    public void writeTo(Path file) throws IOException {
        Map<String, String> out = new TreeMap<>();
        ConfigKeys.ALL.keySet().forEach(k -> out.put(k, get(k)));
        values.keySet().stream()
                .filter(k -> ConfigKeys.NODE_PORT.matcher(k).matches()
                        || ConfigKeys.NODE_WEIGHT.matcher(k).matches()
                        || ConfigKeys.NODE_N_HOST.matcher(k).matches())
                .forEach(k -> out.put(k, values.get(k)));
        out.put("redis.config", redis.redissonConfigPath().toString());
        out.put("redis.ssh.known-hosts", redis.sshKnownHosts().toString());
        balancer.tlsKeystore().ifPresent(k -> out.put("balancer.tls.keystore", k.toString()));
        redis.tlsTruststore().ifPresent(k -> out.put("redis.tls.truststore", k.toString()));
        if (!get("redis.ssh.identity").isBlank()) {
            out.put("redis.ssh.identity", redis.sshIdentity().toString());
        }
        ConfigFile.write(file, out);
    }

    public SessionMode sessionMode() {
        return SessionMode.parse(get("session.mode"));
    }

    public int nodeCount() {
        return getInt("nodes");
    }

    public String nodeHost() {
        return get("node.host");
    }

    /** The most nodes a config may have. */
    public static final int MAX_NODES = ConfigKeys.MAX_NODES;

    /** The node table: names node-1..node-N, ports from the bases or the per-node overrides. */
    public List<NodeAddress> nodes() {
        List<NodeAddress> list = new ArrayList<>();
        int httpBase = getInt("node.http.port.base");
        int clusterBase = getInt("node.cluster.port.base");
        for (int i = 1; i <= nodeCount(); i++) {
            int http = portOf(i, "http", httpBase);
            int cluster = portOf(i, "cluster", clusterBase);
            String name = NodeAddress.nameOf(i);
            list.add(new NodeAddress(i, name, hostOf(i, name), http, cluster, clusterHostOf(i, name)));
        }
        return list;
    }

    /**
     * node.<i>.host, else node.host with {name} replaced: in containers each node is reached by its own DNS name,
     * in a network namespace (or on a machine) of its own by its own address.
     */
    private String hostOf(int index, String nodeName) {
        String own = values.get("node." + index + ".host");
        return own != null ? own.trim() : nodeHost().replace("{name}", nodeName);
    }

    /** cluster.host (else node.host) with {name} replaced: where the Tribes channel listens and peers dial. */
    private String clusterHostOf(int index, String nodeName) {
        String v = get("cluster.host");
        return v.isEmpty() ? hostOf(index, nodeName) : v.replace("{name}", nodeName);
    }

    /**
     * The node with this name. A config of one node whose members need no list (local, redis, disk, or
     * delta/backup with {@code cluster.membership=dns}) is a template for interchangeable replicas (a
     * Kubernetes Deployment's pods): an unknown name runs as that node under its own name.
     */
    public NodeAddress nodeOrTemplate(String name) {
        boolean template = nodeCount() == 1 && (!sessionMode().usesTribes() || "dns".equals(channel.membership()));
        if (!template || nodes().stream().anyMatch(n -> n.name().equals(name))) {
            return node(name);
        }
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,252}")) {
            throw new ConfigException(
                    "node name '" + name + "' is not allowed; allowed: letters, digits, '.', '_' or '-'");
        }
        NodeAddress first = nodes().get(0);
        return new NodeAddress(
                first.index(),
                name,
                hostOf(0, name), // a replica of the template: node.host, never node.1.host
                first.httpPort(),
                first.clusterPort(),
                clusterHostOf(0, name));
    }

    /** The node with this name, or a ConfigException listing the names there are. */
    public NodeAddress node(String name) {
        return nodes().stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigException("no node named '" + name + "'; this config has "
                        + nodes().stream().map(NodeAddress::name).toList()));
    }

    /** The balancer weight of a node by name (node.<i>.weight, default 1). */
    public int weightOf(String nodeName) {
        for (NodeAddress n : nodes()) {
            if (n.name().equals(nodeName)) {
                String w = values.get("node." + n.index() + ".weight");
                return w == null ? 1 : Integer.parseInt(w.trim());
            }
        }
        return 1;
    }

    /** The value in effect for a known key (its default when not set). */
    public String get(String key) {
        ConfigKey spec = ConfigKeys.ALL.get(key);
        if (spec == null) {
            throw new IllegalArgumentException("not a config key: " + key);
        }
        return values.getOrDefault(key, spec.defaultValue()).trim();
    }

    int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    /** The key's value, else (when empty) the environment variable's, else empty. */
    String getOrEnv(String key, String env) {
        String v = get(key);
        return v.isEmpty() ? System.getenv().getOrDefault(env, "") : v;
    }

    /** A path resolved against the config's folder. */
    Path path(String key) {
        return baseDir.resolve(get(key)).normalize();
    }

    /** A path resolved against the config's folder, or empty when the key is empty. */
    Optional<Path> optionalPath(String key) {
        return get(key).isEmpty() ? Optional.empty() : Optional.of(path(key));
    }

    /** A comma-separated list, trimmed, empty entries dropped. */
    List<String> list(String key) {
        return Arrays.stream(get(key).split(","))
                .map(String::trim)
                .filter(a -> !a.isEmpty())
                .toList();
    }

    private int portOf(int index, String kind, int base) {
        String explicit = values.get("node." + index + "." + kind + ".port");
        if (explicit != null) {
            return Integer.parseInt(explicit.trim());
        }
        return base == 0 ? 0 : base + index - 1;
    }
}
