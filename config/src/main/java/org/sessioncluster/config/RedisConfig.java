package org.sessioncluster.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code redis.*} keys: where Redis is (one server, Sentinels or a Redis Cluster, embedded or not), how
 * nodes log in and reach it (TLS, an SSH bastion), and how the redis and redisson modes use it.
 *
 * @param address                 redis://host:port of one Redis; empty when sessionctl starts an embedded one
 * @param embeddedSentinel        sessionctl starts a primary, a replica and a Sentinel instead of one Redis
 * @param sentinels               the Sentinels to ask where the primary is; empty: one Redis at {@code address}
 * @param embeddedCluster         sessionctl starts a Redis Cluster of 3 primaries and 3 replicas
 * @param clusterNodes            nodes of a Redis Cluster (sharded) to start from; empty: no cluster
 * @param sentinelMaster          the master name the Sentinels know
 * @param syncReplicas            replicas that must have a request's session writes before its answer goes out
 *                                (0: Redis's usual asynchronous replication)
 * @param username                the ACL user nodes log in as; empty: Redis's default user
 * @param password                the config's password, else the env REDIS_PASSWORD, else empty (no AUTH)
 * @param tlsTruststore           the truststore for a rediss:// Redis; empty: the JVM's trusted CAs
 * @param tlsTruststorePassword   the config's, else the env REDIS_TLS_TRUSTSTORE_PASSWORD, else empty
 * @param embeddedPort            the port of the Redis sessionctl starts
 * @param redissonConfigPath      Redisson's YAML (the redisson mode)
 * @param sessionLock             redis mode: node (a JVM lock), writes or all (a Redis lock); auto resolved by
 *                                the balancer policy (node behind sticky, else writes)
 * @param sessionCache            redis mode: true, verify or false; auto resolved (true behind sticky, else verify)
 * @param lockLeaseMillis         how long a Redis session lock lives unless released
 * @param lockWaitMillis          how long a request waits for a session lock
 * @param touchIntervalMillis     how often a read-only request extends the session's expiry at most
 * @param poolMax                 at most this many connections from a node to each Redis server
 * @param timeoutMillis           how long a reply (and a free pooled connection) may take
 * @param retryBudgetMillis       how long a command that could not be sent is tried again
 * @param expiryGraceMillis       how long a session's data outlives its expiry marker
 * @param keyspaceEvents          whether nodes hear of expired sessions from Redis's keyspace notices
 * @param keyPrefix               the prefix of every key the redis mode writes
 * @param readMode                the redisson mode's read mode (REDIS or MEMORY)
 * @param updateMode              the redisson mode's update mode (DEFAULT or AFTER_REQUEST)
 * @param broadcastSessionEvents  the redisson mode tells the other nodes of session events
 * @param broadcastSessionUpdates the redisson mode publishes every change to every node
 * @param ssh                     the SSH bastion ({@code user@host[:port]}) nodes reach Redis through, or empty
 * @param sshIdentity             the private key for the bastion
 * @param sshKnownHosts           the bastion's known host keys
 */
public record RedisConfig(
        String address,
        boolean embeddedSentinel,
        List<String> sentinels,
        boolean embeddedCluster,
        List<String> clusterNodes,
        String sentinelMaster,
        int syncReplicas,
        String username,
        String password,
        Optional<Path> tlsTruststore,
        String tlsTruststorePassword,
        int embeddedPort,
        Path redissonConfigPath,
        String sessionLock,
        String sessionCache,
        int lockLeaseMillis,
        int lockWaitMillis,
        int touchIntervalMillis,
        int poolMax,
        int timeoutMillis,
        int retryBudgetMillis,
        int expiryGraceMillis,
        boolean keyspaceEvents,
        String keyPrefix,
        String readMode,
        String updateMode,
        boolean broadcastSessionEvents,
        boolean broadcastSessionUpdates,
        String ssh,
        Path sshIdentity,
        Path sshKnownHosts) {

    static RedisConfig read(ClusterConfig c) {
        boolean sticky = "sticky".equals(c.get("balancer.policy"));
        String lock = c.get("redis.session.lock");
        String cache = c.get("redis.session.cache");
        return new RedisConfig(
                c.get("redis.address"),
                c.getBoolean("redis.embedded.sentinel"),
                c.list("redis.sentinels"),
                c.getBoolean("redis.embedded.cluster"),
                c.list("redis.cluster.nodes"),
                c.get("redis.sentinel.master"),
                c.getInt("redis.sync.replicas"),
                c.get("redis.username"),
                c.getOrEnv("redis.password", "REDIS_PASSWORD").trim(),
                c.optionalPath("redis.tls.truststore"),
                c.getOrEnv("redis.tls.truststore.password", "REDIS_TLS_TRUSTSTORE_PASSWORD"),
                c.getInt("redis.embedded.port"),
                c.path("redis.config"),
                lock.equals("auto") ? (sticky ? "node" : "writes") : lock,
                cache.equals("auto") ? (sticky ? "true" : "verify") : cache,
                c.getInt("redis.lock.lease.ms"),
                c.getInt("redis.lock.wait.ms"),
                c.getInt("redis.touch.interval.ms"),
                c.getInt("redis.pool.max"),
                c.getInt("redis.timeout.ms"),
                c.getInt("redis.retry.budget.ms"),
                c.getInt("redis.expiry.grace.ms"),
                c.getBoolean("redis.keyspace.events"),
                c.get("redis.key.prefix"),
                c.get("redis.read.mode"),
                c.get("redis.update.mode"),
                c.getBoolean("redis.broadcast.session.events"),
                c.getBoolean("redis.broadcast.session.updates"),
                c.get("redis.ssh"),
                c.path("redis.ssh.identity"),
                c.path("redis.ssh.known-hosts"));
    }

    /** True for {@code redis://host:port} or {@code rediss://host:port}: what redis.address accepts. */
    public static boolean isAddress(String text) {
        return ConfigKeys.REDIS_URI.matcher(text).matches();
    }

    /** True when sessions go to a Redis Cluster: listed in redis.cluster.nodes, or started by sessionctl. */
    public boolean isCluster() {
        return embeddedCluster || !clusterNodes.isEmpty();
    }

    /** Without the passwords, which no log may show. */
    @Override
    public String toString() {
        return "RedisConfig[address=" + address + ", sentinels=" + sentinels + ", clusterNodes=" + clusterNodes
                + ", username=" + username + ", password=" + (password.isEmpty() ? "(none)" : "(set)")
                + ", sessionLock=" + sessionLock + ", sessionCache=" + sessionCache + ", ssh=" + ssh + "]";
    }
}
