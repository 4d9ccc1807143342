package org.sessioncluster.node.redis;

import java.time.Duration;
import org.apache.catalina.session.ManagerBase;

/**
 * The redis session manager's configuration: the bean properties Tomcat sets from the attributes of
 * {@code <Manager>} in context.xml (by name), and the embedded node from cluster.properties
 * ({@link RedisSessionManagerFactory}). {@link RedisSessionManager} is what runs with them.
 */
public abstract class RedisSessionManagerSettings extends ManagerBase {
    /** How long a save waits for the replicas redis.sync.replicas asks for before it counts a shortfall. */
    static final Duration SYNC_TIMEOUT = Duration.ofMillis(500);

    RedisEndpoint endpoint;
    String address = "";
    String sentinels = "";
    String sentinelMaster = "";
    String clusterNodes = "";
    String username = "";
    String password = "";
    String truststore = "";
    String truststorePassword = "";
    String keyPrefix = "sessioncluster:session:";
    SessionLockMode lockMode = SessionLockMode.REDIS;
    SessionCopies copies = SessionCopies.NONE;
    long lockLeaseMillis = 3_000;
    long lockWaitMillis = 5_000;
    long touchIntervalMillis = 5_000;
    int maxConnections = 128;
    int timeoutMillis = RedisConnection.COMMAND_TIMEOUT_MILLIS;
    long retryBudgetMillis = RedisSessionRepository.RETRY_BUDGET.toMillis();
    long expiryGraceMillis = 60_000;
    int syncReplicas;
    boolean configureKeyspaceEvents = true;
    String nodeName = "";

    /** The settings the running mode reads, as they are now. */
    SessionRules rules() {
        return new SessionRules(
                lockMode,
                lockLeaseMillis,
                lockWaitMillis,
                touchIntervalMillis,
                expiryGraceMillis,
                syncReplicas,
                SYNC_TIMEOUT,
                Duration.ofMillis(retryBudgetMillis));
    }

    /** Where Redis is and how to log in (the embedded node: from cluster.properties); wins over the attributes. */
    public void setEndpoint(RedisEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** One Redis: redis://host:port, or rediss:// for TLS. */
    public void setAddress(String address) {
        this.address = address;
    }

    /** Sentinels, comma-separated redis:// addresses (with {@link #setSentinelMaster}). */
    public void setSentinels(String sentinels) {
        this.sentinels = sentinels;
    }

    public void setSentinelMaster(String name) {
        this.sentinelMaster = name;
    }

    /** Nodes of a Redis Cluster, comma-separated redis:// addresses (any of them; the client learns the rest). */
    public void setClusterNodes(String nodes) {
        this.clusterNodes = nodes;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    /** The name of an environment variable holding the password (so context.xml holds none). */
    public void setPasswordEnv(String variable) {
        String value = variable == null || variable.isEmpty() ? null : System.getenv(variable);
        this.password = value == null ? "" : value;
    }

    /** A truststore (PKCS12 or JKS) with the CA of a rediss:// server's certificate. */
    public void setTruststore(String path) {
        this.truststore = path;
    }

    public void setTruststorePassword(String password) {
        this.truststorePassword = password;
    }

    public void setKeyPrefix(String prefix) {
        this.keyPrefix = prefix;
    }

    public void setLockMode(String mode) {
        this.lockMode = SessionLockMode.parse(mode);
    }

    /** {@code true}, {@code verify} or {@code false}: see {@link SessionCopies}. */
    public void setCacheSessions(String cache) {
        this.copies = SessionCopies.parse(cache);
    }

    public void setLockLeaseMillis(long millis) {
        this.lockLeaseMillis = millis;
    }

    public void setLockWaitMillis(long millis) {
        this.lockWaitMillis = millis;
    }

    public void setTouchIntervalMillis(long millis) {
        this.touchIntervalMillis = millis;
    }

    /** At most this many connections to each Redis server (a request thread borrows one per round trip). */
    public void setMaxConnections(int connections) {
        this.maxConnections = connections;
    }

    /** How long a reply (or a free connection) may take before the request gets a 503. */
    public void setTimeoutMillis(int millis) {
        this.timeoutMillis = millis;
    }

    /** How long a command that could not be sent is tried again before the request gets a 503. */
    public void setRetryBudgetMillis(long millis) {
        this.retryBudgetMillis = millis;
    }

    public void setExpiryGraceMillis(long millis) {
        this.expiryGraceMillis = millis;
    }

    public void setSyncReplicas(int replicas) {
        this.syncReplicas = replicas;
    }

    /** Whether to turn on Redis's expiry notifications ({@code notify-keyspace-events Ex}) at start. */
    public void setConfigureKeyspaceEvents(boolean configure) {
        this.configureKeyspaceEvents = configure;
    }

    public void setNodeName(String name) {
        this.nodeName = name;
    }
}
