package org.sessioncluster.node.redis;

import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/** The redis mode's manager as cluster.properties describes it ({@code redis.*} and {@code redis.session.*}). */
public final class RedisSessionManagerFactory {
    private RedisSessionManagerFactory() {}

    public static RedisSessionManager create(ClusterConfig config, String nodeName) {
        if (config.redisAddress().isEmpty()
                && config.redisSentinels().isEmpty()
                && config.redisClusterNodes().isEmpty()) {
            throw new ConfigException(
                    "session.mode = redis needs redis.address (redis://host:port), redis.sentinels or redis.cluster.nodes;"
                            + " sessionctl fills them in when it starts an embedded Redis");
        }
        RedisSessionManager manager = new RedisSessionManager();
        RedisEndpoint endpoint = RedisEndpoint.from(config);
        if (endpoint.truststore() != null && !java.nio.file.Files.isRegularFile(endpoint.truststore())) {
            throw new ConfigException("redis.tls.truststore = '" + endpoint.truststore()
                    + "' is not a file; allowed: a PKCS12 or JKS truststore");
        }
        manager.setEndpoint(endpoint);
        manager.setNodeName(nodeName);
        manager.setKeyPrefix(config.redisKeyPrefix());
        manager.setLockMode(config.redisSessionLock());
        manager.setCacheSessions(config.redisSessionCache());
        manager.setLockLeaseMillis(config.redisLockLeaseMillis());
        manager.setLockWaitMillis(config.redisLockWaitMillis());
        manager.setTouchIntervalMillis(config.redisTouchIntervalMillis());
        manager.setMaxConnections(config.redisPoolMax());
        manager.setTimeoutMillis(config.redisTimeoutMillis());
        manager.setRetryBudgetMillis(config.redisRetryBudgetMillis());
        manager.setExpiryGraceMillis(config.redisExpiryGraceMillis());
        manager.setSyncReplicas(config.redisSyncReplicas());
        manager.setConfigureKeyspaceEvents(config.redisKeyspaceEvents());
        manager.setSessionAttributeValueClassNameFilter(config.sessionAllowedClasses());
        manager.setWarnOnSessionAttributeFilterFailure(true);
        return manager;
    }
}
