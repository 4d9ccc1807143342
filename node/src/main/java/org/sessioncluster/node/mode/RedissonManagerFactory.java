package org.sessioncluster.node.mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.redisson.codec.SerializationCodec;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SentinelServersConfig;
import org.redisson.config.SingleServerConfig;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/**
 * Builds Redisson's Tomcat session manager from {@code redis.config} (a Redisson YAML file) and the
 * {@code redis.*} keys of cluster.properties. For a single-server YAML the address comes from
 * {@code redis.address}, so the one source of truth for where Redis is stays cluster.properties.
 */
final class RedissonManagerFactory {
    private RedissonManagerFactory() {}

    static SessionServerManager create(ClusterConfig config) {
        if (config.redisAddress().isEmpty() && config.redisSentinels().isEmpty()) {
            throw new ConfigException(
                    "session.mode = redis needs redis.address (redis://host:port) or redis.sentinels; "
                            + "sessionctl fills them in when it starts an embedded Redis");
        }
        Config redisson = load(config.redissonConfigPath());
        if (!config.redisSentinels().isEmpty()) {
            redisson = sentinel(redisson, config);
        } else if (redisson.isSingleConfig()) {
            SingleServerConfig single = redisson.useSingleServer();
            single.setAddress(config.redisAddress());
            RedisLogin.apply(config, single);
        }
        limitClasses(redisson, config);
        SessionServerManager manager = new SessionServerManager(
                config.redisSentinels().isEmpty() ? config.redisAddress() : "the Sentinels' primary",
                !config.redisPassword().isEmpty());
        manager.setConfig(redisson);
        manager.setSessionAttributeValueClassNameFilter(config.sessionAllowedClasses());
        manager.setWarnOnSessionAttributeFilterFailure(true);
        // REDIS: every attribute read goes to Redis, so no node holds a stale copy and nothing is
        // broadcast. MEMORY keeps a local copy and (with broadcastSessionUpdates) publishes every
        // change to every node — all-to-all again, through Redis.
        manager.setReadMode(config.redisReadMode());
        manager.setUpdateMode(config.redisUpdateMode());
        // Without session events a session invalidated on one node still answers on the others.
        manager.setBroadcastSessionEvents(config.redisBroadcastSessionEvents());
        manager.setBroadcastSessionUpdates(config.redisBroadcastSessionUpdates());
        return manager;
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
     * Java serialization (the shipped codec) reads only classes session.allowed.classes allows: Redisson's
     * SerializationCodec checks each class name it meets against the given set. Another codec (Kryo, JSON)
     * has allow-lists of its own, which this does not configure.
     */
    private static void limitClasses(Config redisson, ClusterConfig config) {
        if (redisson.getCodec() == null || redisson.getCodec() instanceof SerializationCodec) {
            redisson.setCodec(
                    new SerializationCodec(null, SessionDataFilter.of(config).asClassNameSet()));
        } else {
            java.util.logging.Logger.getLogger(RedissonManagerFactory.class.getName())
                    .warning(() -> "redis.config uses "
                            + redisson.getCodec().getClass().getName()
                            + ": session.allowed.classes only limits Java serialization"
                            + " (org.redisson.codec.SerializationCodec)");
        }
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
