package org.sessioncluster.node.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.redisson.config.BaseMasterSlaveServersConfig;
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
        Config redisson = load(config.redis().redissonConfigPath());
        if (!config.redis().clusterNodes().isEmpty()) {
            return cluster(redisson, config);
        }
        if (!config.redis().sentinels().isEmpty()) {
            return sentinel(redisson, config);
        }
        if (redisson.isSingleConfig()) {
            SingleServerConfig single = redisson.useSingleServer();
            single.setAddress(config.redis().address());
            RedisLogin.apply(config, single);
        }
        return redisson;
    }

    /**
     * The YAML's single-server settings moved to a Sentinel setup: the nodes ask the Sentinels where the
     * primary is and follow a failover. Reads and writes go to the primary (a replica may lag behind).
     */
    private static Config sentinel(Config yaml, ClusterConfig config) {
        Config out = basics(yaml);
        SentinelServersConfig sentinels = out.useSentinelServers();
        sentinels.setMasterName(config.redis().sentinelMaster());
        config.redis().sentinels().forEach(sentinels::addSentinelAddress);
        sentinels.setReadMode(ReadMode.MASTER);
        sentinels.setCheckSentinelsList(false); // one Sentinel is enough on one machine (a demo, not a quorum)
        RedisLogin.apply(config, sentinels);
        poolsFrom(yaml, sentinels);
        return out;
    }

    /**
     * The YAML's single-server settings moved to a Redis Cluster: the client learns the slot map from any
     * listed node, sends each session's commands to the primary of its slot, and looks at the map again every
     * second, so a promoted replica is found within about a second of the cluster's failover.
     */
    private static Config cluster(Config yaml, ClusterConfig config) {
        Config out = basics(yaml);
        ClusterServersConfig cluster = out.useClusterServers();
        config.redis().clusterNodes().forEach(cluster::addNodeAddress);
        cluster.setReadMode(ReadMode.MASTER);
        cluster.setScanInterval(1000);
        RedisLogin.apply(config, cluster);
        poolsFrom(yaml, cluster);
        return out;
    }

    /** The YAML's codec and thread counts, in a config of its own. */
    private static Config basics(Config yaml) {
        Config out = new Config();
        out.setCodec(yaml.getCodec());
        out.setThreads(yaml.getThreads());
        out.setNettyThreads(yaml.getNettyThreads());
        return out;
    }

    /**
     * Attempts at least, with a Sentinel or a Redis Cluster, for a command whose primary is gone: a failover
     * leaves no primary for 2–3 s (sessionctl's Sentinel and Redis Cluster), and Redisson waits 0.5–1 s, then
     * 1–2 s, before each attempt again, so five attempts span at least 4.5 s (redis.retry.budget.ms's default
     * in the redis mode) and ride a failover out.
     */
    static final int FAILOVER_RETRY_ATTEMPTS = 5;

    /** The YAML's single-server pool sizes and timeouts, for the primaries of a Sentinel or cluster setup. */
    private static void poolsFrom(Config yaml, BaseMasterSlaveServersConfig<?> target) {
        target.setRetryAttempts(FAILOVER_RETRY_ATTEMPTS);
        if (!yaml.isSingleConfig()) {
            return;
        }
        SingleServerConfig single = yaml.useSingleServer();
        target.setMasterConnectionPoolSize(single.getConnectionPoolSize());
        target.setMasterConnectionMinimumIdleSize(single.getConnectionMinimumIdleSize());
        target.setSubscriptionConnectionPoolSize(single.getSubscriptionConnectionPoolSize());
        target.setConnectTimeout(single.getConnectTimeout());
        target.setTimeout(single.getTimeout());
        target.setRetryAttempts(Math.max(single.getRetryAttempts(), FAILOVER_RETRY_ATTEMPTS));
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
