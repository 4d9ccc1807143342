package org.sessioncluster.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** Every key cluster.properties may hold. A key not listed here is an error, not silently ignored. */
public final class ConfigKeys {
    static final int MAX_NODES = 64;
    // The keys by name, for code outside this module: a key is never written as a string literal there.
    public static final String BALANCER_ADMIN_HOST = "balancer.admin.host";
    public static final String BALANCER_ADMIN_PORT = "balancer.admin.port";
    public static final String BALANCER_ADMIN_TOKEN = "balancer.admin.token";
    public static final String BALANCER_CLIENT_TIMEOUT_MS = "balancer.client.timeout.ms";
    public static final String BALANCER_CONNECT_TIMEOUT_MS = "balancer.connect.timeout.ms";
    public static final String BALANCER_HEALTH_FALL = "balancer.health.fall";
    public static final String BALANCER_HEALTH_INTERVAL_MS = "balancer.health.interval.ms";
    public static final String BALANCER_HEALTH_RISE = "balancer.health.rise";
    public static final String BALANCER_HOST = "balancer.host";
    public static final String BALANCER_JVM_OPTIONS = "balancer.jvm.options";
    public static final String BALANCER_MAX_BODY_BYTES = "balancer.max.body.bytes";
    public static final String BALANCER_MAX_HEADER_BYTES = "balancer.max.header.bytes";
    public static final String BALANCER_POLICY = "balancer.policy";
    public static final String BALANCER_PORT = "balancer.port";
    public static final String BALANCER_RESPONSE_TIMEOUT_MS = "balancer.response.timeout.ms";
    public static final String BALANCER_TLS_KEYSTORE = "balancer.tls.keystore";
    public static final String BALANCER_TLS_KEYSTORE_PASSWORD = "balancer.tls.keystore.password";
    public static final String BALANCER_WARMUP_REQUESTS = "balancer.warmup.requests";
    public static final String CLUSTER_ENCRYPTION_KEY = "cluster.encryption.key";
    public static final String CLUSTER_HOST = "cluster.host";
    public static final String CLUSTER_JVM_ROUTE_BINDER = "cluster.jvm.route.binder";
    public static final String CLUSTER_MEMBER_EXPIRY_MS = "cluster.member.expiry.ms";
    public static final String CLUSTER_MEMBERSHIP = "cluster.membership";
    public static final String CLUSTER_NAME = "cluster.name";
    public static final String CLUSTER_PARTITION_GRACE_MS = "cluster.partition.grace.ms";
    public static final String CLUSTER_PARTITION_POLICY = "cluster.partition.policy";
    public static final String CLUSTER_SEND_OPTIONS = "cluster.send.options";
    public static final String NODE_CLUSTER_PORT_BASE = "node.cluster.port.base";
    public static final String NODE_HOST = "node.host";
    public static final String NODE_HTTP_PORT_BASE = "node.http.port.base";
    public static final String NODE_INTERNAL_PROXIES = "node.internal.proxies";
    public static final String NODE_JVM_OPTIONS = "node.jvm.options";
    public static final String NODE_START_TIMEOUT_SECONDS = "node.start.timeout.seconds";
    public static final String NODES = "nodes";
    public static final String REDIS_ADDRESS = "redis.address";
    public static final String REDIS_BROADCAST_SESSION_EVENTS = "redis.broadcast.session.events";
    public static final String REDIS_BROADCAST_SESSION_UPDATES = "redis.broadcast.session.updates";
    public static final String REDIS_CLUSTER_NODES = "redis.cluster.nodes";
    public static final String REDIS_CONFIG = "redis.config";
    public static final String REDIS_EMBEDDED_CLUSTER = "redis.embedded.cluster";
    public static final String REDIS_EMBEDDED_PORT = "redis.embedded.port";
    public static final String REDIS_EMBEDDED_SENTINEL = "redis.embedded.sentinel";
    public static final String REDIS_EXPIRY_GRACE_MS = "redis.expiry.grace.ms";
    public static final String REDIS_KEY_PREFIX = "redis.key.prefix";
    public static final String REDIS_KEYSPACE_EVENTS = "redis.keyspace.events";
    public static final String REDIS_LOCK_LEASE_MS = "redis.lock.lease.ms";
    public static final String REDIS_LOCK_WAIT_MS = "redis.lock.wait.ms";
    public static final String REDIS_PASSWORD = "redis.password";
    public static final String REDIS_POOL_MAX = "redis.pool.max";
    public static final String REDIS_READ_MODE = "redis.read.mode";
    public static final String REDIS_RETRY_BUDGET_MS = "redis.retry.budget.ms";
    public static final String REDIS_SENTINEL_MASTER = "redis.sentinel.master";
    public static final String REDIS_SENTINELS = "redis.sentinels";
    public static final String REDIS_SESSION_CACHE = "redis.session.cache";
    public static final String REDIS_SESSION_LOCK = "redis.session.lock";
    public static final String REDIS_SSH = "redis.ssh";
    public static final String REDIS_SSH_IDENTITY = "redis.ssh.identity";
    public static final String REDIS_SSH_KNOWN_HOSTS = "redis.ssh.known-hosts";
    public static final String REDIS_SYNC_REPLICAS = "redis.sync.replicas";
    public static final String REDIS_TIMEOUT_MS = "redis.timeout.ms";
    public static final String REDIS_TLS_TRUSTSTORE = "redis.tls.truststore";
    public static final String REDIS_TLS_TRUSTSTORE_PASSWORD = "redis.tls.truststore.password";
    public static final String REDIS_TOUCH_INTERVAL_MS = "redis.touch.interval.ms";
    public static final String REDIS_UPDATE_MODE = "redis.update.mode";
    public static final String REDIS_USERNAME = "redis.username";
    public static final String REGISTRY_EVICTION_MS = "registry.eviction.ms";
    public static final String REGISTRY_RENEW_MS = "registry.renew.ms";
    public static final String REGISTRY_URL = "registry.url";
    public static final String SESSION_ALLOWED_CLASSES = "session.allowed.classes";
    public static final String SESSION_MODE = "session.mode";
    public static final String SESSION_PAYLOAD_MAX_BYTES = "session.payload.max.bytes";
    public static final String SESSION_STORE_DIR = "session.store.dir";
    public static final String SESSION_STORE_FSYNC = "session.store.fsync";
    public static final String SESSION_TIMEOUT_MINUTES = "session.timeout.minutes";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SSH_DESTINATION =
            Pattern.compile("[A-Za-z0-9._-]{1,64}@(\\[[0-9A-Fa-f:]+]|[A-Za-z0-9._-]{1,253})(:\\d{1,5})?");
    static final Pattern REDIS_URI = Pattern.compile("rediss?://[^\\s/]+:\\d{1,5}");

    /** Empty, or redis://host:port addresses separated by commas (redis.sentinels, redis.cluster.nodes). */
    static boolean isRedisAddressList(String v) {
        return v.isBlank()
                || java.util.Arrays.stream(v.split(","))
                        .allMatch(a -> REDIS_URI.matcher(a.trim()).matches());
    }

    /** Per-node port overrides: {@code node.<i>.http.port}, {@code node.<i>.cluster.port}. */
    static final Pattern NODE_PORT = Pattern.compile("node\\.(\\d+)\\.(http|cluster)\\.port");
    /** Per-node balancer weight: {@code node.<i>.weight}. */
    static final Pattern NODE_WEIGHT = Pattern.compile("node\\.(\\d+)\\.weight");
    /** Per-node address: {@code node.<i>.host} (nodes on machines, or network namespaces, of their own). */
    static final Pattern NODE_N_HOST = Pattern.compile("node\\.(\\d+)\\.host");

    static final int MAX_WEIGHT = 256;
    /**
     * Loopback and the private ranges (Tomcat's own default list, as one expression with loopback first: the
     * address a node sees on every request from a balancer on the same machine is matched by the first branch).
     */
    static final String INTERNAL_PROXIES = "127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1"
            + "|10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}"
            + "|172\\.(?:1[6-9]|2\\d|3[01])\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}"
            + "|100\\.(?:6[4-9]|[7-9]\\d|1[01]\\d|12[0-7])\\.\\d{1,3}\\.\\d{1,3}"
            + "|f[cdCD]\\p{XDigit}{2}:.*|fe[89abAB]\\p{XDigit}:.*";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,128}");
    private static final Pattern AES_KEY = Pattern.compile("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{48}|[0-9A-Fa-f]{64}");
    private static final Pattern REDIS_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s/]+(:\\d{1,5})?");
    private static final String JVM_OPTIONS = "JVM options separated by spaces";

    static final Map<String, ConfigKey> ALL = new LinkedHashMap<>();

    /**
     * What session data may hold: the webapp's own classes, boxed primitives, strings, a few collections
     * and primitive arrays. Anything else in replicated or stored session data is refused before it is built.
     */
    static final String DEFAULT_ALLOWED_CLASSES = "org\\.sessioncluster\\.webapp\\..*"
            + "|java\\.lang\\.(?:Boolean|Byte|Character|Double|Float|Integer|Long|Number|Short|String)"
            + "|java\\.util\\.(?:ArrayList|HashMap|HashSet|LinkedHashMap|LinkedHashSet|LinkedList|TreeMap|TreeSet|Map\\$Entry)"
            + "|\\[[BCDFIJSZ]|\\[Ljava\\.lang\\.String;";

    static {
        add(ConfigKey.text("session.mode", "local", SessionMode.allowedValues(), v -> SessionMode.parse(v) != null));
        add(ConfigKey.integer("session.timeout.minutes", 30, 1, 24 * 60));
        add(ConfigKey.integer("session.payload.max.bytes", 262_144, 0, 16 * 1024 * 1024));
        add(ConfigKey.text(
                "session.allowed.classes",
                "",
                "empty (the built-in list: the webapp's classes, boxed primitives, strings, common collections) or a Java regular"
                        + " expression that every class name in session data must match (delta, backup, redis)",
                v -> v.isBlank() || isRegex(v)));
        add(ConfigKey.anyText(
                "session.store.dir",
                "",
                "empty (sessionctl uses <run-dir>/sessions) or a folder every node can write"));
        add(ConfigKey.bool("session.store.fsync", false));

        add(ConfigKey.matching(
                "cluster.name", "session-cluster", "letters, digits, '.', '_' or '-' (at most 64)", NAME));
        add(ConfigKey.integer("nodes", 3, 1, MAX_NODES));
        add(ConfigKey.host(
                "node.host",
                "127.0.0.1",
                "a host name or IP address without spaces ({name} = the node's name)",
                false));
        add(ConfigKey.host(
                "cluster.host",
                "",
                "empty (= node.host) or the host name or IP address the Tribes channel binds to and peers dial ({name} = the node's name)",
                true));
        add(ConfigKey.integer("node.http.port.base", 8081, 0, 65535));
        add(ConfigKey.integer("node.cluster.port.base", 4001, 0, 65535));
        add(ConfigKey.anyText("node.jvm.options", "-Xmx384m -XX:+UseSerialGC", JVM_OPTIONS));
        add(ConfigKey.integer("node.start.timeout.seconds", 90, 5, 3600));
        add(ConfigKey.text(
                "node.internal.proxies",
                "",
                "empty (loopback and the private ranges) or a regular expression (Tomcat's RemoteIpValve internalProxies) matching the addresses of the balancers and proxies in front of the nodes",
                v -> v.isBlank() || isRegex(v)));
        add(ConfigKey.integer("balancer.warmup.requests", 20_000, 0, 1_000_000));
        add(ConfigKey.anyText("balancer.jvm.options", "-Xmx256m -XX:+UseSerialGC", JVM_OPTIONS));

        add(ConfigKey.oneOf("cluster.send.options", "6", "2", "4", "6", "8", "10", "12", "14"));
        add(ConfigKey.oneOf("cluster.jvm.route.binder", "auto", "auto", "true", "false"));
        add(ConfigKey.oneOf("cluster.partition.policy", "serve", "serve", "quorum"));
        add(ConfigKey.integer("cluster.partition.grace.ms", 1000, 0, 60_000));
        add(ConfigKey.integer("cluster.member.expiry.ms", 5000, 1000, 60_000));
        add(ConfigKey.oneOf("cluster.membership", "static", "static", "dns"));
        add(ConfigKey.emptyOr(
                "cluster.encryption.key",
                "empty (the env CLUSTER_ENCRYPTION_KEY, or no encryption) or an AES key of 32, 48 or 64 hex digits",
                AES_KEY));

        add(ConfigKey.emptyOr("redis.address", "empty (start an embedded Redis) or redis://host:port", REDIS_URI));
        add(ConfigKey.integer("redis.embedded.port", 6379, 0, 65535));
        add(ConfigKey.emptyOr(
                "redis.username",
                "empty (Redis's default user) or an ACL user name (letters, digits, '.', '_' or '-')",
                REDIS_NAME));
        add(ConfigKey.text(
                "redis.password",
                "",
                "empty (the env REDIS_PASSWORD, or no password) or the password (no spaces)",
                v -> !v.trim().contains(" ")));
        add(
                ConfigKey.anyText(
                        "redis.tls.truststore",
                        "",
                        "empty (the JVM's trusted CAs) or a PKCS12/JKS truststore with the CA of a rediss:// Redis, relative to cluster.properties"));
        add(ConfigKey.anyText(
                "redis.tls.truststore.password",
                "",
                "the truststore's password (empty: the env REDIS_TLS_TRUSTSTORE_PASSWORD)"));
        add(ConfigKey.bool("redis.embedded.sentinel", false));
        add(ConfigKey.bool("redis.embedded.cluster", false));
        add(ConfigKey.text(
                "redis.cluster.nodes",
                "",
                "empty (no Redis Cluster) or a comma-separated list of Redis Cluster nodes, redis://host:port,...",
                ConfigKeys::isRedisAddressList));
        add(ConfigKey.text(
                "redis.sentinels",
                "",
                "empty (one Redis at redis.address) or a comma-separated list of Sentinels, redis://host:port,...",
                ConfigKeys::isRedisAddressList));
        add(ConfigKey.matching(
                "redis.sentinel.master",
                "session-primary",
                "the master name the Sentinels monitor (letters, digits, '.', '_' or '-')",
                REDIS_NAME));
        add(ConfigKey.integer("redis.sync.replicas", 0, 0, 8));
        add(ConfigKey.text(
                "redis.config",
                "redisson.yaml",
                "a path to a Redisson YAML file, relative to cluster.properties",
                v -> !v.isBlank()));
        add(ConfigKey.oneOf("redis.session.lock", "auto", "auto", "writes", "redis", "node", "none"));
        add(ConfigKey.oneOf("redis.session.cache", "auto", "auto", "true", "verify", "false"));
        add(ConfigKey.integer("redis.lock.lease.ms", 3000, 100, 600_000));
        add(ConfigKey.integer("redis.lock.wait.ms", 5000, 0, 600_000));
        add(ConfigKey.integer("redis.touch.interval.ms", 5000, 0, 600_000));
        add(ConfigKey.integer("redis.pool.max", 128, 1, 10_000));
        add(ConfigKey.integer("redis.timeout.ms", 3000, 100, 60_000));
        add(ConfigKey.integer("redis.retry.budget.ms", 4500, 0, 60_000));
        add(ConfigKey.integer("redis.expiry.grace.ms", 60_000, 1000, 86_400_000));
        add(ConfigKey.bool("redis.keyspace.events", true));
        add(ConfigKey.matching(
                "redis.key.prefix",
                "sessioncluster:session:",
                "letters, digits and . _ : - (at most 64): the start of every key the redis mode writes",
                KEY_PREFIX));
        add(ConfigKey.oneOf("redis.read.mode", "REDIS", "REDIS", "MEMORY"));
        add(ConfigKey.oneOf("redis.update.mode", "DEFAULT", "DEFAULT", "AFTER_REQUEST"));
        add(ConfigKey.bool("redis.broadcast.session.events", true));
        add(ConfigKey.bool("redis.broadcast.session.updates", false));
        add(ConfigKey.emptyOr(
                "redis.ssh",
                "empty (nodes dial redis.address directly) or user@host[:port] of an SSH bastion that can reach redis.address",
                SSH_DESTINATION));
        add(ConfigKey.anyText(
                "redis.ssh.identity",
                "",
                "empty, or with redis.ssh the path to a private key (no passphrase), relative to cluster.properties"));
        add(ConfigKey.text(
                "redis.ssh.known-hosts",
                "known_hosts",
                "a known_hosts file that lists the bastion's host key, relative to cluster.properties",
                v -> !v.isBlank()));

        add(ConfigKey.oneOf("balancer.policy", "round-robin", BalancerPolicyName.NAMES.toArray(String[]::new)));
        add(ConfigKey.host("balancer.host", "127.0.0.1", "a host name or IP address without spaces", false));
        add(ConfigKey.integer("balancer.port", 8080, 0, 65535));
        add(ConfigKey.integer("balancer.admin.port", 8089, 0, 65535));
        add(ConfigKey.host(
                "balancer.admin.host",
                "127.0.0.1",
                "a host name or IP address without spaces (loopback keeps the admin API private)",
                false));
        add(ConfigKey.emptyOr(
                "balancer.admin.token",
                "empty (sessionctl makes one per run) or 16 to 128 letters, digits or . _ ~ -",
                TOKEN));
        add(ConfigKey.integer("balancer.health.interval.ms", 250, 50, 60_000));
        add(ConfigKey.integer("balancer.health.fall", 3, 1, 100));
        add(ConfigKey.integer("balancer.health.rise", 2, 1, 100));
        add(ConfigKey.integer("balancer.connect.timeout.ms", 1000, 50, 60_000));
        add(ConfigKey.integer("balancer.response.timeout.ms", 30_000, 100, 600_000));
        add(ConfigKey.integer("balancer.client.timeout.ms", 20_000, 100, 600_000));
        add(
                ConfigKey.anyText(
                        "balancer.tls.keystore",
                        "",
                        "empty (plain HTTP) or a PKCS12 keystore file with the balancer's key and certificate, relative to cluster.properties"));
        add(ConfigKey.anyText(
                "balancer.tls.keystore.password",
                "",
                "the keystore's password (empty: read from the env BALANCER_TLS_PASSWORD)"));
        add(ConfigKey.integer("balancer.max.header.bytes", 8192, 1024, 65_536));
        add(ConfigKey.integer("balancer.max.body.bytes", 10_485_760, 0, Integer.MAX_VALUE));

        add(ConfigKey.emptyOr(
                "registry.url", "empty (no registry) or http://host:port of the balancer's admin API", HTTP_URL));
        add(ConfigKey.integer("registry.renew.ms", 1000, 50, 60_000));
        add(ConfigKey.integer("registry.eviction.ms", 3000, 100, 600_000));
    }

    private ConfigKeys() {}

    private static boolean isRegex(String v) {
        try {
            Pattern.compile(v.trim());
            return true;
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }

    private static void add(ConfigKey key) {
        ALL.put(key.name(), key);
    }

    /** Null when the key is known; otherwise the error message (with a close known key, if any). */
    static String checkKnown(String key) {
        if (ALL.containsKey(key)) {
            return null;
        }
        if (NODE_PORT.matcher(key).matches()
                || NODE_WEIGHT.matcher(key).matches()
                || NODE_N_HOST.matcher(key).matches()) {
            return null;
        }
        String closest = null;
        int best = Integer.MAX_VALUE;
        for (String known : ALL.keySet()) {
            int d = editDistance(key, known);
            if (d < best) {
                best = d;
                closest = known;
            }
        }
        String hint = best <= 3 ? " (did you mean '" + closest + "'?)" : "";
        return "unknown key '" + key + "'" + hint + "; the keys are listed in cluster-config/README.md";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
