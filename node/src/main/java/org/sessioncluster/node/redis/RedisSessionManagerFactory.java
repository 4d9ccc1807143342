package org.sessioncluster.node.redis;

import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/** The redis mode's manager as cluster.properties describes it ({@code redis.*} and {@code redis.session.*}). */
public final class RedisSessionManagerFactory {
    private RedisSessionManagerFactory() {}

    public static RedisSessionManager create(ClusterConfig config, String nodeName) {
        if (config.redis().address().isEmpty()
                && config.redis().sentinels().isEmpty()
                && config.redis().clusterNodes().isEmpty()) {
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
        manager.setKeyPrefix(config.redis().keyPrefix());
        manager.setLockMode(config.redis().sessionLock());
        manager.setCacheSessions(config.redis().sessionCache());
        manager.setLockLeaseMillis(config.redis().lockLeaseMillis());
        manager.setLockWaitMillis(config.redis().lockWaitMillis());
        manager.setTouchIntervalMillis(config.redis().touchIntervalMillis());
        manager.setMaxConnections(config.redis().poolMax());
        manager.setTimeoutMillis(config.redis().timeoutMillis());
        manager.setRetryBudgetMillis(config.redis().retryBudgetMillis());
        manager.setExpiryGraceMillis(config.redis().expiryGraceMillis());
        manager.setSyncReplicas(config.redis().syncReplicas());
        manager.setConfigureKeyspaceEvents(config.redis().keyspaceEvents());
        manager.setSessionAttributeValueClassNameFilter(config.session().allowedClasses());
        manager.setWarnOnSessionAttributeFilterFailure(true);
        return manager;
    }
}
