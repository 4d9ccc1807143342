package org.sessioncluster.node.springsession;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Spring Data Redis's Lettuce connection from cluster.properties: one Redis (redis.address), Sentinels
 * (redis.sentinels, redis.sentinel.master) or a Redis Cluster (redis.cluster.nodes); redis.username and
 * redis.password; for rediss:// the redis.tls.truststore.
 */
final class SpringRedisConnection {
    private SpringRedisConnection() {}

    static LettuceConnectionFactory factory(ClusterConfig config) {
        boolean tls = addresses(config).stream().anyMatch(a -> a.startsWith("rediss://"));
        RedisConfiguration where;
        ClientOptions options;
        if (!config.redis().clusterNodes().isEmpty()) {
            RedisClusterConfiguration cluster =
                    new RedisClusterConfiguration(hostPorts(config.redis().clusterNodes()));
            login(config, cluster);
            where = cluster;
            // a promoted replica is found within a second, as the other Redis modes do
            options = ClusterClientOptions.builder()
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(1))
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .sslOptions(ssl(config, tls))
                    .build();
        } else if (!config.redis().sentinels().isEmpty()) {
            RedisSentinelConfiguration sentinel = new RedisSentinelConfiguration(
                    config.redis().sentinelMaster(), hostPorts(config.redis().sentinels()));
            login(config, sentinel);
            if (!config.redis().password().isEmpty()) {
                sentinel.setSentinelPassword(RedisPassword.of(config.redis().password()));
            }
            where = sentinel;
            options = ClientOptions.builder().sslOptions(ssl(config, tls)).build();
        } else {
            URI uri = URI.create(config.redis().address());
            RedisStandaloneConfiguration single = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
            login(config, single);
            where = single;
            options = ClientOptions.builder().sslOptions(ssl(config, tls)).build();
        }
        // Lettuce tries to reconnect after 1 ms, 2, 4, … up to 30 s apart: after a 2 s Sentinel failover the next
        // try came ~4 s after the kill, and requests waiting meanwhile ran out of their 3 s. At most 0.5 s apart,
        // a promoted replica is reached within half a second.
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(
                        Duration.ofMillis(10), Duration.ofMillis(500), 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .clientOptions(options)
                .clientResources(resources)
                .commandTimeout(Duration.ofSeconds(3));
        if (tls) {
            client.useSsl();
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(where, client.build()) {
            @Override
            public void destroy() {
                super.destroy();
                resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS); // given, so not shut by Spring
            }
        };
        factory.setEarlyStartup(false); // started with the webapp
        factory.afterPropertiesSet();
        return factory;
    }

    static String describe(ClusterConfig config) {
        if (!config.redis().clusterNodes().isEmpty()) {
            return "Redis Cluster " + config.redis().clusterNodes();
        }
        if (!config.redis().sentinels().isEmpty()) {
            return "Sentinels " + config.redis().sentinels() + " (master "
                    + config.redis().sentinelMaster() + ")";
        }
        return config.redis().address();
    }

    private static List<String> addresses(ClusterConfig config) {
        if (!config.redis().clusterNodes().isEmpty()) {
            return config.redis().clusterNodes();
        }
        return config.redis().sentinels().isEmpty()
                ? List.of(config.redis().address())
                : config.redis().sentinels();
    }

    private static Set<String> hostPorts(List<String> addresses) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : addresses) {
            URI uri = URI.create(a);
            out.add(uri.getHost() + ":" + uri.getPort());
        }
        return out;
    }

    private static void login(ClusterConfig config, RedisConfiguration.WithAuthentication target) {
        if (!config.redis().password().isEmpty()) {
            target.setPassword(RedisPassword.of(config.redis().password()));
            if (!config.redis().username().isEmpty()) {
                target.setUsername(config.redis().username());
            }
        }
    }

    private static SslOptions ssl(ClusterConfig config, boolean tls) {
        if (!tls || config.redis().tlsTruststore().isEmpty()) {
            return SslOptions.create();
        }
        var store = config.redis().tlsTruststore().get();
        if (!Files.isRegularFile(store)) {
            throw new ConfigException(
                    "redis.tls.truststore = '" + store + "' is not a file; allowed: a PKCS12 or JKS truststore");
        }
        return SslOptions.builder()
                .jdkSslProvider()
                .truststore(store.toFile(), config.redis().tlsTruststorePassword())
                .build();
    }
}
