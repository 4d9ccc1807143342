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
        if (!config.redis().password().isEmpty()) {
            server.setPassword(config.redis().password());
            if (!config.redis().username().isEmpty()) {
                server.setUsername(config.redis().username());
            }
        }
        config.redis().tlsTruststore().ifPresent(store -> {
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
            server.setSslTruststorePassword(config.redis().tlsTruststorePassword());
        });
        if (server instanceof SentinelServersConfig sentinels
                && !config.redis().password().isEmpty()) {
            sentinels.setSentinelPassword(config.redis().password());
            if (!config.redis().username().isEmpty()) {
                sentinels.setSentinelUsername(config.redis().username());
            }
        }
    }
}
