package org.sessioncluster.node.metrics;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.session.StandardSession;
import org.sessioncluster.node.mode.InstalledMode;
import org.sessioncluster.tunnel.TunnelStats;

/** Reads the facts a node publishes about itself, fresh on every call. */
public final class NodeState {
    private final String name;
    private final InstalledMode mode;
    private final Context webapp;
    private final ClusterTrafficCounter traffic;
    private final Supplier<TunnelStats> redisTunnel;
    private final String sessionStore;
    private final java.util.concurrent.atomic.LongAdder destroyed = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param redisTunnel  what the SSH tunnel to Redis carried (redis.ssh), or null without one
     * @param sessionStore where sessions live outside the node (the Redis address, the disk folder), or ""
     */
    public NodeState(
            String name,
            InstalledMode mode,
            Context webapp,
            ClusterTrafficCounter traffic,
            Supplier<TunnelStats> redisTunnel,
            String sessionStore) {
        this.name = name;
        this.sessionStore = sessionStore;
        this.mode = mode;
        this.webapp = webapp;
        this.traffic = traffic;
        this.redisTunnel = redisTunnel;
        // counts what the webapp's own listeners hear: one call per session destroyed, on the node that told them
        webapp.addServletContainerInitializer(
                (classes, ctx) -> ctx.addListener(new jakarta.servlet.http.HttpSessionListener() {
                    @Override
                    public void sessionDestroyed(jakarta.servlet.http.HttpSessionEvent event) {
                        destroyed.increment();
                    }
                }),
                null);
    }

    /** The SSH tunnel to Redis, or null when the node dials Redis directly. */
    public TunnelStats redisTunnel() {
        return redisTunnel == null ? null : redisTunnel.get();
    }

    public String name() {
        return name;
    }

    public String sessionStore() {
        return sessionStore;
    }

    public String mode() {
        return mode.mode().configName();
    }

    public int channelPeers() {
        return mode.channelPeers();
    }

    public int mapPeers() {
        return mode.mapPeers(webapp.getManager());
    }

    public int sessionsHeld() {
        Manager manager = webapp.getManager();
        return manager == null ? 0 : manager.findSessions().length;
    }

    /** Serialized size of the sessions this node holds in memory, as Java serialization writes them. */
    public long sessionBytesHeld() {
        Manager manager = webapp.getManager();
        if (manager == null) {
            return 0;
        }
        long total = 0;
        for (Session session : manager.findSessions()) {
            if (session instanceof StandardSession standard) {
                CountingStream counter = new CountingStream();
                try (ObjectOutputStream out = new ObjectOutputStream(counter)) {
                    standard.writeObjectData(out);
                } catch (IOException | RuntimeException e) {
                    continue; // expired while being measured, or its data does not deserialize: nothing to count
                }
                total += counter.count;
            }
        }
        return total;
    }

    /** Sessions this node told its HttpSessionListeners were destroyed. */
    public long sessionsDestroyed() {
        return destroyed.sum();
    }

    /** Round trips of the redis mode's manager, or -1 in another mode. */
    public long redisRoundTrips() {
        return webapp.getManager() instanceof org.sessioncluster.node.redis.RedisSessionManager m
                ? m.redisRoundTrips()
                : -1;
    }

    /** Expiry notices the redis mode's manager heard and handled, or -1 in another mode. */
    public long redisExpiryNotices() {
        return webapp.getManager() instanceof org.sessioncluster.node.redis.RedisSessionManager m
                ? m.expiryNoticesHandled()
                : -1;
    }

    public long storeBytesWritten() {
        return mode.storeBytesWritten();
    }

    public long storeFsyncs() {
        return mode.storeFsyncs();
    }

    public long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public ClusterTrafficCounter traffic() {
        return traffic;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
