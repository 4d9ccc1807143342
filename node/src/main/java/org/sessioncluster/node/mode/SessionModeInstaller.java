package org.sessioncluster.node.mode;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.catalina.Context;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.session.PersistentManager;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.PersistentValve;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigException;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.node.metrics.ClusterTrafficCounter;
import org.sessioncluster.node.redis.RedisSessionManager;
import org.sessioncluster.node.redis.RedisSessionManagerFactory;
import org.sessioncluster.node.springsession.SpringSessionInstaller;

/** Installs the configured session mode on a Tomcat that has not been started yet. */
public final class SessionModeInstaller {
    /** delta/backup: requests for static resources change no session, so Tomcat does not replicate after them. */
    public static final String REPLICATION_FILTER = ".*\\.(gif|js|jpe?g|png|css|ico|svg|woff2?)$";
    /**
     * delta/backup: how often the Tribes channel checks its members, and so how soon a peer takes back a
     * restarted node (Tomcat's default is 5 s, during which the node gets no changes from that peer).
     */
    public static final long CHANNEL_HEARTBEAT_MILLIS = 1_000;

    private SessionModeInstaller() {}

    /** Why the webapp's session manager did not start, when it knows (the redis mode: password, TLS, unreachable). */
    public static java.util.Optional<String> startProblem(Context webapp) {
        if (webapp.getManager() instanceof RedisSessionManager lean) {
            return java.util.Optional.ofNullable(lean.startProblem());
        }
        return webapp.getManager() instanceof SessionServerManager m
                ? java.util.Optional.ofNullable(m.startProblem())
                : org.sessioncluster.node.springsession.SpringSessionInstaller.startProblem(webapp);
    }

    public static InstalledMode install(
            ClusterConfig config, NodeAddress self, Tomcat tomcat, Context webapp, ClusterTrafficCounter traffic) {
        // The route suffix (id.node-1) is what sticky balancers read; every mode carries it.
        tomcat.getEngine().setJvmRoute(self.name());
        switch (config.sessionMode()) {
            case LOCAL -> {
                StandardManager manager = new StandardManager();
                manager.setPathname(null); // sessions live and die with this JVM: no SESSIONS.ser on restart
                webapp.setManager(manager);
                return new InstalledMode(config.sessionMode(), null, null);
            }
            case DELTA, BACKUP -> {
                SimpleTcpCluster cluster = TribesClusterFactory.create(config, self, traffic);
                tomcat.getEngine().setCluster(cluster); // the cluster makes the manager of every distributable context
                if ("quorum".equals(config.clusterPartitionPolicy())) {
                    webapp.getPipeline()
                            .addValve(new PartitionGuard(
                                    cluster, config.nodeCount(), config.clusterPartitionGraceMillis(), self.name()));
                }
                return new InstalledMode(config.sessionMode(), cluster, null);
            }
            case REDIS -> {
                // the manager installs its own request valve and the store-down answer at start
                webapp.setManager(RedisSessionManagerFactory.create(config, self.name()));
                return new InstalledMode(config.sessionMode(), null, null);
            }
            case REDISSON -> {
                SessionServerManager manager = RedissonManagerFactory.create(config);
                webapp.setManager(manager);
                String where = !config.redisClusterNodes().isEmpty()
                        ? "Redis Cluster " + config.redisClusterNodes()
                        : config.redisSentinels().isEmpty()
                                ? config.redisAddress()
                                : "Sentinels " + config.redisSentinels() + " (master " + config.redisSentinelMaster()
                                        + ")";
                webapp.getPipeline().addValve(new SessionStoreDownValve(where));
                if (config.redisSyncReplicas() > 0) {
                    // after the store-down valve in the pipeline: it sees the request's own writes finished
                    webapp.getPipeline()
                            .addValve(
                                    new ReplicaSyncValve(manager, config.redisSyncReplicas(), Duration.ofMillis(500)));
                }
                return new InstalledMode(config.sessionMode(), null, null);
            }
            case SPRING_SESSION -> {
                // the container's own manager stays, unused: the filter hands the webapp Spring's sessions
                if (config.redisAddress().isEmpty()
                        && config.redisSentinels().isEmpty()
                        && config.redisClusterNodes().isEmpty()) {
                    throw new ConfigException("session.mode = spring-session needs redis.address (redis://host:port),"
                            + " redis.sentinels or redis.cluster.nodes; sessionctl fills them in when it starts an"
                            + " embedded Redis");
                }
                SpringSessionInstaller.install(config, self.name(), webapp);
                return new InstalledMode(config.sessionMode(), null, null);
            }
            case DISK -> {
                if (config.sessionStoreDir().isBlank()) {
                    throw new ConfigException(
                            "session.mode = disk needs session.store.dir (a folder every node can write);"
                                    + " sessionctl sets <run-dir>/sessions when it is empty");
                }
                MeteredFileStore store = new MeteredFileStore();
                store.setDirectory(
                        Path.of(config.sessionStoreDir()).toAbsolutePath().toString());
                store.setFsync(config.sessionStoreFsync());
                PersistentManager manager = new PersistentManager();
                manager.setStore(store);
                webapp.setManager(manager);
                // Load the session from the store before each request and save it (and drop it from memory)
                // after: any node can serve any request, at the price of a disk write per request.
                PersistentValve valve = new PersistentValve();
                valve.setFilter(".*/(health|work)$");
                webapp.getPipeline().addValve(valve);
                return new InstalledMode(config.sessionMode(), null, store);
            }
            default -> throw new IllegalStateException("unhandled mode " + config.sessionMode());
        }
    }
}
