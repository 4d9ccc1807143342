package org.sessioncluster.node.redisson;

import java.time.Duration;
import org.apache.catalina.Context;
import org.redisson.codec.SerializationCodec;
import org.redisson.config.Config;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.node.mode.SessionDataFilter;
import org.sessioncluster.node.mode.SessionStoreDownValve;
import org.sessioncluster.node.redis.RedisClientConfig;

/**
 * Builds Redisson's Tomcat session manager from {@code redis.config} (a Redisson YAML file) and the
 * {@code redis.*} keys of cluster.properties. For a single-server YAML the address comes from
 * {@code redis.address}, so the one source of truth for where Redis is stays cluster.properties.
 */
public final class RedissonManagerFactory {
    private RedissonManagerFactory() {}

    /**
     * Installs Redisson's manager on the webapp, the store-down answer and (redis.sync.replicas) the valve
     * that waits for replicas after the request's writes.
     */
    public static void install(ClusterConfig config, Context webapp) {
        SessionServerManager manager = create(config);
        webapp.setManager(manager);
        String where = !config.redis().clusterNodes().isEmpty()
                ? "Redis Cluster " + config.redis().clusterNodes()
                : config.redis().sentinels().isEmpty()
                        ? config.redis().address()
                        : "Sentinels " + config.redis().sentinels() + " (master "
                                + config.redis().sentinelMaster() + ")";
        webapp.getPipeline().addValve(new SessionStoreDownValve(where));
        if (config.redis().syncReplicas() > 0) {
            // after the store-down valve in the pipeline: it sees the request's own writes finished
            webapp.getPipeline()
                    .addValve(new ReplicaSyncValve(manager, config.redis().syncReplicas(), Duration.ofMillis(500)));
        }
    }

    /** Why Redisson's manager on this webapp did not start, or null (another manager, or it started). */
    public static String startProblem(Context webapp) {
        return webapp.getManager() instanceof SessionServerManager m ? m.startProblem() : null;
    }

    static SessionServerManager create(ClusterConfig config) {
        if (config.redis().address().isEmpty()
                && config.redis().sentinels().isEmpty()
                && config.redis().clusterNodes().isEmpty()) {
            throw new ConfigException("session.mode = " + config.sessionMode().configName()
                    + " needs redis.address (redis://host:port), redis.sentinels or redis.cluster.nodes; "
                    + "sessionctl fills them in when it starts an embedded Redis");
        }
        Config redisson = RedisClientConfig.from(config);
        limitClasses(redisson, config);
        SessionServerManager manager = new SessionServerManager(
                config.redis().sentinels().isEmpty() ? config.redis().address() : "the Sentinels' primary",
                !config.redis().password().isEmpty());
        manager.setConfig(redisson);
        manager.setSessionAttributeValueClassNameFilter(config.session().allowedClasses());
        manager.setWarnOnSessionAttributeFilterFailure(true);
        // REDIS: every attribute read goes to Redis, so no node holds a stale copy and nothing is
        // broadcast. MEMORY keeps a local copy and (with broadcastSessionUpdates) publishes every
        // change to every node — all-to-all again, through Redis.
        manager.setReadMode(config.redis().readMode());
        manager.setUpdateMode(config.redis().updateMode());
        // Without session events a session invalidated on one node still answers on the others.
        manager.setBroadcastSessionEvents(config.redis().broadcastSessionEvents());
        manager.setBroadcastSessionUpdates(config.redis().broadcastSessionUpdates());
        return manager;
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
}
