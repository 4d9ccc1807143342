package org.sessioncluster.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as {@code cluster.properties} (plus command-line overrides) describes it, validated.
 * Instances are immutable; {@link #with(Map)} gives a copy with more overrides.
 */
public final class ClusterConfig {
    private final Map<String, String> values;
    private final Path baseDir;
    private final String source;

    private ClusterConfig(Map<String, String> values, Path baseDir, String source) {
        this.values = Map.copyOf(values);
        this.baseDir = baseDir;
        this.source = source;
        ConfigValidator.validate(this, this.values, source);
    }

    /** Reads a properties file and applies overrides on top (overrides win). */
    public static ClusterConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> map = ConfigFile.read(file);
        map.putAll(overrides);
        Path abs = file.toAbsolutePath().normalize();
        return new ClusterConfig(map, abs.getParent(), abs.getFileName().toString());
    }

    /** A config made of the given values only (defaults for the rest); relative paths resolve against baseDir. */
    public static ClusterConfig of(Map<String, String> values, Path baseDir) {
        return new ClusterConfig(values, baseDir.toAbsolutePath().normalize(), "cluster.properties");
    }

    /** A copy with these keys set (they win over the current values). */
    public ClusterConfig with(Map<String, String> overrides) {
        Map<String, String> map = new HashMap<>(values);
        map.putAll(overrides);
        return new ClusterConfig(map, baseDir, source);
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
        out.put("redis.config", redissonConfigPath().toString());
        out.put("redis.ssh.known-hosts", redisSshKnownHosts().toString());
        balancerTlsKeystore().ifPresent(k -> out.put("balancer.tls.keystore", k.toString()));
        redisTlsTruststore().ifPresent(k -> out.put("redis.tls.truststore", k.toString()));
        if (!get("redis.ssh.identity").isBlank()) {
            out.put("redis.ssh.identity", redisSshIdentity().toString());
        }
        ConfigFile.write(file, out);
    }

    public SessionMode sessionMode() {
        return SessionMode.parse(get("session.mode"));
    }

    public String clusterName() {
        return get("cluster.name");
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
        boolean template = nodeCount() == 1 && (!sessionMode().usesTribes() || "dns".equals(clusterMembership()));
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

    /** static: every node lists the others (node.host, ports); dns: members are the addresses a DNS name resolves to. */
    public String clusterMembership() {
        return get("cluster.membership").trim();
    }

    /** The node with this name, or a ConfigException listing the names there are. */
    public NodeAddress node(String name) {
        return nodes().stream()
                .filter(n -> n.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigException("no node named '" + name + "'; this config has "
                        + nodes().stream().map(NodeAddress::name).toList()));
    }

    /** Tomcat's RemoteIpValve internalProxies: the addresses whose X-Forwarded-For/-Proto a node believes. */
    public String nodeInternalProxies() {
        String v = get("node.internal.proxies").trim();
        return v.isEmpty() ? ConfigKeys.INTERNAL_PROXIES : v;
    }

    /** Requests the balancer sends through a copy of its data path at start, to a stand-in node (0: none). */
    public int balancerWarmupRequests() {
        return getInt("balancer.warmup.requests");
    }

    public String nodeJvmOptions() {
        return get("node.jvm.options");
    }

    /** Options of the balancer's JVM that sessionctl starts: its own, not the nodes' (a proxy is not a node). */
    public String balancerJvmOptions() {
        return get("balancer.jvm.options");
    }

    public int nodeStartTimeoutSeconds() {
        return getInt("node.start.timeout.seconds");
    }

    public int sessionTimeoutMinutes() {
        return getInt("session.timeout.minutes");
    }

    /** The regular expression class names in session data must match (Tomcat's filter, the Redis codec's allow-list). */
    public String sessionAllowedClasses() {
        String v = get("session.allowed.classes");
        return v.isEmpty() ? ConfigKeys.DEFAULT_ALLOWED_CLASSES : v;
    }

    public int sessionPayloadMaxBytes() {
        return getInt("session.payload.max.bytes");
    }

    /** The shared session folder of the disk mode; empty until sessionctl (or the operator) sets one. */
    public String sessionStoreDir() {
        return get("session.store.dir");
    }

    /** Disk mode: force each saved session file to the device (fsync) before the request answers. */
    public boolean sessionStoreFsync() {
        return getBoolean("session.store.fsync");
    }

    /**
     * What a delta or backup node does when it sees fewer than a majority of the configured nodes (itself
     * included): serve (go on, as Tomcat does) or quorum (after {@link #clusterPartitionGraceMillis} it answers
     * 503, its health check included, until it sees a majority again).
     */
    public String clusterPartitionPolicy() {
        return get("cluster.partition.policy").trim();
    }

    /** How long a static member may stay silent before its peers count it gone (Tribes' expirationTime). */
    public int clusterMemberExpiryMillis() {
        return getInt("cluster.member.expiry.ms");
    }

    public int clusterPartitionGraceMillis() {
        return getInt("cluster.partition.grace.ms");
    }

    public int clusterSendOptions() {
        return getInt("cluster.send.options");
    }

    /**
     * The AES key that encrypts the Tribes channel (delta, backup): cluster.encryption.key, else the env
     * CLUSTER_ENCRYPTION_KEY (checked like the key), else empty: no encryption.
     */
    public java.util.Optional<String> clusterEncryptionKey() {
        String v = get("cluster.encryption.key").trim();
        if (v.isEmpty()) {
            v = System.getenv().getOrDefault("CLUSTER_ENCRYPTION_KEY", "").trim();
            if (!v.isEmpty()
                    && !ConfigKeys.ALL.get("cluster.encryption.key").check().test(v)) {
                throw new ConfigException(
                        "the env CLUSTER_ENCRYPTION_KEY is not allowed; allowed: an AES key of 32, 48 or 64 hex digits");
            }
        }
        return v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v);
    }

    /**
     * Whether delta/backup nodes rename a session's route suffix when it lands on another node. {@code auto}
     * follows the balancer: on for sticky (the user follows the session after a failover), off otherwise —
     * behind round-robin nearly every request lands elsewhere, and each rename is one more change-id
     * message to every peer.
     */
    public boolean jvmRouteBinder() {
        String v = get("cluster.jvm.route.binder").trim();
        return "auto".equals(v) ? "sticky".equals(balancerPolicy()) : Boolean.parseBoolean(v);
    }

    /** True for {@code redis://host:port} or {@code rediss://host:port}: what redis.address accepts. */
    public static boolean isRedisAddress(String text) {
        return ConfigKeys.REDIS_URI.matcher(text).matches();
    }

    /** The Redis address nodes use; empty when sessionctl is to start an embedded Redis. */
    public String redisAddress() {
        return get("redis.address");
    }

    /** Sessionctl starts a primary, a replica and a Sentinel instead of one Redis. */
    public boolean redisEmbeddedSentinel() {
        return getBoolean("redis.embedded.sentinel");
    }

    /** The Sentinels to ask where the primary is; empty: one Redis at {@link #redisAddress()}. */
    public List<String> redisSentinels() {
        return addressList("redis.sentinels");
    }

    /** Sessionctl starts a Redis Cluster of 3 primaries and 3 replicas instead of one Redis. */
    public boolean redisEmbeddedCluster() {
        return getBoolean("redis.embedded.cluster");
    }

    /** Nodes of a Redis Cluster (sharded) to start from; empty: no cluster. */
    public List<String> redisClusterNodes() {
        return addressList("redis.cluster.nodes");
    }

    /** True when sessions go to a Redis Cluster: listed in redis.cluster.nodes, or started by sessionctl. */
    public boolean redisIsCluster() {
        return redisEmbeddedCluster() || !redisClusterNodes().isEmpty();
    }

    /** A comma-separated list of addresses, trimmed, empty entries dropped. */
    private List<String> addressList(String key) {
        return java.util.Arrays.stream(get(key).split(","))
                .map(String::trim)
                .filter(a -> !a.isEmpty())
                .toList();
    }

    public String redisSentinelMaster() {
        return get("redis.sentinel.master").trim();
    }

    /** Replicas that must have a request's session writes before its answer goes out (0: Redis's usual async replication). */
    public int redisSyncReplicas() {
        return getInt("redis.sync.replicas");
    }

    /** The ACL user nodes log in to Redis as; empty: Redis's default user. */
    public String redisUsername() {
        return get("redis.username");
    }

    /** The Redis password: the config's, else the env REDIS_PASSWORD, else empty (no AUTH). Never logged. */
    public String redisPassword() {
        String v = get("redis.password");
        return v.isEmpty() ? System.getenv().getOrDefault("REDIS_PASSWORD", "").trim() : v;
    }

    /** The truststore for a rediss:// Redis; empty: the JVM's trusted CAs. */
    public java.util.Optional<Path> redisTlsTruststore() {
        String v = get("redis.tls.truststore").trim();
        return v.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(baseDir.resolve(v).normalize());
    }

    /** The truststore's password: the config's, else the env REDIS_TLS_TRUSTSTORE_PASSWORD, else empty. */
    public String redisTlsTruststorePassword() {
        String v = get("redis.tls.truststore.password");
        return v.isEmpty() ? System.getenv().getOrDefault("REDIS_TLS_TRUSTSTORE_PASSWORD", "") : v;
    }

    public int redisEmbeddedPort() {
        return getInt("redis.embedded.port");
    }

    public Path redissonConfigPath() {
        return baseDir.resolve(get("redis.config")).normalize();
    }

    /**
     * How the redis mode keeps concurrent requests on one session apart: {@code redis.session.lock}, where
     * auto is a JVM lock behind the sticky policy (a session stays on one node) and otherwise a Redis lock for
     * the requests that may write (writes).
     */
    public String redisSessionLock() {
        String v = get("redis.session.lock").trim();
        return v.equals("auto") ? (balancerPolicy().equals("sticky") ? "node" : "writes") : v;
    }

    /**
     * Whether redis-mode nodes keep copies of the sessions they serve ({@code redis.session.cache}): {@code true}
     * (trusted until another node's write drops them), {@code verify} (checked on every request) or
     * {@code false}; auto = true behind sticky, else verify.
     */
    public String redisSessionCache() {
        String v = get("redis.session.cache").trim();
        return v.equals("auto") ? (balancerPolicy().equals("sticky") ? "true" : "verify") : v;
    }

    public int redisLockLeaseMillis() {
        return getInt("redis.lock.lease.ms");
    }

    public int redisLockWaitMillis() {
        return getInt("redis.lock.wait.ms");
    }

    public int redisTouchIntervalMillis() {
        return getInt("redis.touch.interval.ms");
    }

    /** redis mode: at most this many connections from a node to each Redis server. */
    public int redisPoolMax() {
        return getInt("redis.pool.max");
    }

    /** redis mode: how long a reply (and a free pooled connection) may take; connecting takes at most 2 s of it. */
    public int redisTimeoutMillis() {
        return getInt("redis.timeout.ms");
    }

    /** redis mode: how long a command that could not be sent is tried again (a failover, a reconnect). */
    public int redisRetryBudgetMillis() {
        return getInt("redis.retry.budget.ms");
    }

    public int redisExpiryGraceMillis() {
        return getInt("redis.expiry.grace.ms");
    }

    public boolean redisKeyspaceEvents() {
        return getBoolean("redis.keyspace.events");
    }

    public String redisKeyPrefix() {
        return get("redis.key.prefix").trim();
    }

    public String redisReadMode() {
        return get("redis.read.mode");
    }

    public String redisUpdateMode() {
        return get("redis.update.mode");
    }

    public boolean redisBroadcastSessionEvents() {
        return getBoolean("redis.broadcast.session.events");
    }

    public boolean redisBroadcastSessionUpdates() {
        return getBoolean("redis.broadcast.session.updates");
    }

    /** The SSH bastion nodes reach Redis through ({@code user@host[:port]}), or empty for a direct connection. */
    public String redisSsh() {
        return get("redis.ssh").trim();
    }

    public Path redisSshIdentity() {
        return baseDir.resolve(get("redis.ssh.identity")).normalize();
    }

    public Path redisSshKnownHosts() {
        return baseDir.resolve(get("redis.ssh.known-hosts")).normalize();
    }

    public String balancerPolicy() {
        return get("balancer.policy");
    }

    public String balancerHost() {
        return get("balancer.host");
    }

    public int balancerPort() {
        return getInt("balancer.port");
    }

    /** Where the admin API listens: loopback by default, whatever balancer.host says. */
    public String balancerAdminHost() {
        return get("balancer.admin.host");
    }

    public int balancerAdminPort() {
        return getInt("balancer.admin.port");
    }

    /** The admin token; empty when none is set (sessionctl then makes one for the run). */
    public String balancerAdminToken() {
        return get("balancer.admin.token");
    }

    public int healthIntervalMillis() {
        return getInt("balancer.health.interval.ms");
    }

    public int healthFall() {
        return getInt("balancer.health.fall");
    }

    public int healthRise() {
        return getInt("balancer.health.rise");
    }

    public int balancerConnectTimeoutMillis() {
        return getInt("balancer.connect.timeout.ms");
    }

    /** The balancer's TLS keystore; empty when it serves plain HTTP. */
    public java.util.Optional<Path> balancerTlsKeystore() {
        String v = get("balancer.tls.keystore").trim();
        return v.isEmpty()
                ? java.util.Optional.empty()
                : java.util.Optional.of(baseDir.resolve(v).normalize());
    }

    /** The keystore password: the config's, else the env BALANCER_TLS_PASSWORD, else empty. */
    public String balancerTlsKeystorePassword() {
        String v = get("balancer.tls.keystore.password");
        return v.isEmpty() ? System.getenv().getOrDefault("BALANCER_TLS_PASSWORD", "") : v;
    }

    /** How long the balancer waits for a client's next bytes (request line, headers, body) before closing. */
    public int balancerClientTimeoutMillis() {
        return getInt("balancer.client.timeout.ms");
    }

    public int balancerMaxHeaderBytes() {
        return getInt("balancer.max.header.bytes");
    }

    public long balancerMaxBodyBytes() {
        return getInt("balancer.max.body.bytes");
    }

    public int balancerResponseTimeoutMillis() {
        return getInt("balancer.response.timeout.ms");
    }

    /** Where nodes register (the balancer's admin URL); empty when they do not register. */
    public String registryUrl() {
        return get("registry.url");
    }

    public int registryRenewMillis() {
        return getInt("registry.renew.ms");
    }

    public int registryEvictionMillis() {
        return getInt("registry.eviction.ms");
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

    private int getInt(String key) {
        return Integer.parseInt(get(key));
    }

    private boolean getBoolean(String key) {
        return Boolean.parseBoolean(get(key));
    }

    private int portOf(int index, String kind, int base) {
        String explicit = values.get("node." + index + "." + kind + ".port");
        if (explicit != null) {
            return Integer.parseInt(explicit.trim());
        }
        return base == 0 ? 0 : base + index - 1;
    }
}
