package org.sessioncluster.node.mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.redisson.config.Config;
import org.redisson.tomcat.RedissonSessionManager;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;

/**
 * Builds Redisson's Tomcat session manager from {@code redis.config} (a Redisson YAML file) and the
 * {@code redis.*} keys of cluster.properties. For a single-server YAML the address comes from
 * {@code redis.address}, so the one source of truth for where Redis is stays cluster.properties.
 */
final class RedissonManagerFactory {
    private RedissonManagerFactory() {
    }

    static RedissonSessionManager create(ClusterConfig config) {
        if (config.redisAddress().isEmpty()) {
            throw new ConfigException("session.mode = redis needs redis.address (redis://host:port); "
                    + "sessionctl fills it in when it starts an embedded Redis");
        }
        Config redisson = load(config.redissonConfigPath());
        if (redisson.isSingleConfig()) {
            redisson.useSingleServer().setAddress(config.redisAddress());
        }
        RedissonSessionManager manager = new RedissonSessionManager();
        manager.setConfig(redisson);
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

    private static Config load(Path yaml) {
        if (!Files.isRegularFile(yaml)) {
            throw new ConfigException("redis.config = '" + yaml + "' is not a file; allowed: a path to a Redisson YAML file");
        }
        try {
            return Config.fromYAML(yaml.toFile());
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("redis.config = '" + yaml + "' is not a valid Redisson YAML file: " + e.getMessage(), e);
        }
    }
}
