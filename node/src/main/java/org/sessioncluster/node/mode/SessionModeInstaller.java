package org.sessioncluster.node.mode;

import java.util.Optional;
import org.apache.catalina.Context;
import org.apache.catalina.session.StandardManager;
import org.apache.catalina.startup.Tomcat;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.node.disk.DiskStoreInstaller;
import org.sessioncluster.node.metrics.ClusterTrafficCounter;
import org.sessioncluster.node.redis.RedisSessionManager;
import org.sessioncluster.node.redis.RedisSessionManagerFactory;
import org.sessioncluster.node.redisson.RedissonManagerFactory;
import org.sessioncluster.node.replication.TribesClusterFactory;
import org.sessioncluster.node.springsession.SpringSessionInstaller;

/**
 * Installs the configured session mode on a Tomcat that has not been started yet: each store's package
 * wires its own manager, valves and checks; this class only chooses among them.
 */
public final class SessionModeInstaller {
    private SessionModeInstaller() {}

    /** Why the webapp's session manager did not start, when it knows (the Redis modes: password, TLS, unreachable). */
    public static Optional<String> startProblem(Context webapp) {
        if (webapp.getManager() instanceof RedisSessionManager lean) {
            return Optional.ofNullable(lean.startProblem());
        }
        String redisson = RedissonManagerFactory.startProblem(webapp);
        return redisson != null ? Optional.of(redisson) : SpringSessionInstaller.startProblem(webapp);
    }

    public static InstalledMode install(
            ClusterConfig config, NodeAddress self, Tomcat tomcat, Context webapp, ClusterTrafficCounter traffic) {
        // The route suffix (id.node-1) is what sticky balancers read; every mode carries it.
        tomcat.getEngine().setJvmRoute(self.name());
        SessionMode mode = config.sessionMode();
        switch (mode) {
            case LOCAL -> {
                StandardManager manager = new StandardManager();
                manager.setPathname(null); // sessions live and die with this JVM: no SESSIONS.ser on restart
                webapp.setManager(manager);
                return new InstalledMode(mode, null, null);
            }
            case DELTA, BACKUP -> {
                return new InstalledMode(
                        mode, TribesClusterFactory.install(config, self, tomcat, webapp, traffic), null);
            }
            case REDIS -> {
                // the manager installs its own request valve and the store-down answer at start
                webapp.setManager(RedisSessionManagerFactory.create(config, self.name()));
                return new InstalledMode(mode, null, null);
            }
            case REDISSON -> {
                RedissonManagerFactory.install(config, webapp);
                return new InstalledMode(mode, null, null);
            }
            case SPRING_SESSION -> {
                // the container's own manager stays, unused: the filter hands the webapp Spring's sessions
                SpringSessionInstaller.install(config, self.name(), webapp);
                return new InstalledMode(mode, null, null);
            }
            case DISK -> {
                return new InstalledMode(mode, null, DiskStoreInstaller.install(config, webapp));
            }
            default -> throw new IllegalStateException("unhandled mode " + mode);
        }
    }
}
