package org.sessioncluster.node.mode;

import java.nio.file.Files;
import org.redisson.config.BaseConfig;
import org.redisson.config.SentinelServersConfig;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/** How a Redisson client logs in to the config's Redis: the nodes' session manager and {@code sessionctl store}. */
public final class RedisLogin {
    private RedisLogin() {}

    /**
     * redis.username / redis.password (AUTH, or an ACL user) and, for rediss://, the truststore that holds the
     * Redis certificate's CA. With Sentinel the same password opens the Sentinels (sessionctl's embedded
     * Sentinel asks for it too).
     */
    public static void apply(ClusterConfig config, BaseConfig<?> server) {
        if (!config.redisPassword().isEmpty()) {
            server.setPassword(config.redisPassword());
            if (!config.redisUsername().isEmpty()) {
                server.setUsername(config.redisUsername());
            }
        }
        config.redisTlsTruststore().ifPresent(store -> {
            if (!Files.isRegularFile(store)) {
                throw new ConfigException(
                        "redis.tls.truststore = '" + store + "' is not a file; allowed: a PKCS12 or JKS truststore");
            }
            try {
                server.setSslTruststore(store.toUri().toURL());
            } catch (java.net.MalformedURLException e) {
                throw new ConfigException(
                        "redis.tls.truststore = '" + store + "' is not a usable path: " + e.getMessage(), e);
            }
            server.setSslTruststorePassword(config.redisTlsTruststorePassword());
        });
        if (server instanceof SentinelServersConfig sentinels
                && !config.redisPassword().isEmpty()) {
            sentinels.setSentinelPassword(config.redisPassword());
            if (!config.redisUsername().isEmpty()) {
                sentinels.setSentinelUsername(config.redisUsername());
            }
        }
    }
}
