package org.sessioncluster.node.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SingleServerConfig;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.node.mode.RedisLogin;

/**
 * The Redisson client settings of both Redis modes: {@code redis.config} (a Redisson YAML: pools, timeouts,
 * codec) with the address, login and Sentinels of cluster.properties, so where Redis is and how to log in
 * are said in one place.
 */
public final class RedisClientConfig {
    private RedisClientConfig() {}

    public static Config from(ClusterConfig config) {
        Config redisson = load(config.redissonConfigPath());
        if (!config.redisClusterNodes().isEmpty()) {
            return cluster(redisson, config);
        }
        if (!config.redisSentinels().isEmpty()) {
            return sentinel(redisson, config);
        }
        if (redisson.isSingleConfig()) {
            SingleServerConfig single = redisson.useSingleServer();
            single.setAddress(config.redisAddress());
            RedisLogin.apply(config, single);
        }
        return redisson;
    }

    /**
     * The YAML's single-server settings moved to a Sentinel setup: the nodes ask the Sentinels where the
     * primary is and follow a failover. Reads and writes go to the primary (a replica may lag behind).
     */
    private static Config sentinel(Config yaml, ClusterConfig config) {
        Config out = new Config();
        out.setCodec(yaml.getCodec());
        out.setThreads(yaml.getThreads());
        out.setNettyThreads(yaml.getNettyThreads());
        SentinelServersConfig sentinels = out.useSentinelServers();
        sentinels.setMasterName(config.redisSentinelMaster());
        config.redisSentinels().forEach(sentinels::addSentinelAddress);
        sentinels.setReadMode(ReadMode.MASTER);
        sentinels.setCheckSentinelsList(false); // one Sentinel is enough on one machine (a demo, not a quorum)
        RedisLogin.apply(config, sentinels);
        if (yaml.isSingleConfig()) {
            SingleServerConfig single = yaml.useSingleServer();
            sentinels.setMasterConnectionPoolSize(single.getConnectionPoolSize());
            sentinels.setMasterConnectionMinimumIdleSize(single.getConnectionMinimumIdleSize());
            sentinels.setSubscriptionConnectionPoolSize(single.getSubscriptionConnectionPoolSize());
            sentinels.setConnectTimeout(single.getConnectTimeout());
            sentinels.setTimeout(single.getTimeout());
            sentinels.setRetryAttempts(single.getRetryAttempts());
        }
        return out;
    }

    /**
     * The YAML's single-server settings moved to a Redis Cluster: the client learns the slot map from any
     * listed node, sends each session's commands to the primary of its slot, and looks at the map again every
     * second, so a promoted replica is found within about a second of the cluster's failover.
     */
    private static Config cluster(Config yaml, ClusterConfig config) {
        Config out = new Config();
        out.setCodec(yaml.getCodec());
        out.setThreads(yaml.getThreads());
        out.setNettyThreads(yaml.getNettyThreads());
        ClusterServersConfig cluster = out.useClusterServers();
        config.redisClusterNodes().forEach(cluster::addNodeAddress);
        cluster.setReadMode(ReadMode.MASTER);
        cluster.setScanInterval(1000);
        RedisLogin.apply(config, cluster);
        if (yaml.isSingleConfig()) {
            SingleServerConfig single = yaml.useSingleServer();
            cluster.setMasterConnectionPoolSize(single.getConnectionPoolSize());
            cluster.setMasterConnectionMinimumIdleSize(single.getConnectionMinimumIdleSize());
            cluster.setSubscriptionConnectionPoolSize(single.getSubscriptionConnectionPoolSize());
            cluster.setConnectTimeout(single.getConnectTimeout());
            cluster.setTimeout(single.getTimeout());
            cluster.setRetryAttempts(single.getRetryAttempts());
        }
        return out;
    }

    private static Config load(Path yaml) {
        if (!Files.isRegularFile(yaml)) {
            throw new ConfigException(
                    "redis.config = '" + yaml + "' is not a file; allowed: a path to a Redisson YAML file");
        }
        try {
            return Config.fromYAML(yaml.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(
                    "redis.config = '" + yaml + "' is not a valid Redisson YAML file: " + e.getMessage(), e);
        }
    }
}
