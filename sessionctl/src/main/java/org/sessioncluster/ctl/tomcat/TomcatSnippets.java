package org.sessioncluster.ctl.tomcat;

import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.node.replication.TribesClusterFactory;

/**
 * The XML an operator adds to a stock Tomcat, from the same config the embedded nodes read: the
 * {@code <Cluster>} for server.xml's {@code <Engine>} (delta, backup: Tribes with static membership, the
 * same channel, valves and manager the embedded node builds) and the {@code <Manager>} for context.xml
 * (redis: this project's manager; redisson: Redisson's).
 */
public final class TomcatSnippets {
    private TomcatSnippets() {}

    /** The {@code <Cluster>} element for {@code self}'s server.xml (delta or backup). */
    public static String cluster(ClusterConfig config, NodeAddress self) {
        SessionMode mode = config.sessionMode();
        if (!mode.usesTribes()) {
            throw new IllegalArgumentException(
                    "session.mode = " + mode.configName() + " has no <Cluster>; only delta and backup do");
        }
        StringBuilder x = new StringBuilder();
        x.append("<!-- session-cluster: ")
                .append(mode.configName())
                .append(" mode, ")
                .append(self.name())
                .append(". Rendered from cluster.properties; every node lists all the others. -->\n");
        x.append("<Cluster className=\"org.apache.catalina.ha.tcp.SimpleTcpCluster\" clusterName=\"")
                .append(config.channel().name())
                .append("\" channelSendOptions=\"")
                .append(config.channel().sendOptions())
                .append("\">\n");
        if (mode == SessionMode.DELTA) {
            x.append(
                            "  <Manager className=\"org.apache.catalina.ha.session.DeltaManager\" expireSessionsOnShutdown=\"false\"\n")
                    .append("           notifyListenersOnReplication=\"true\" stateTransferTimeout=\"")
                    .append(config.nodeStartTimeoutSeconds())
                    // replay every change that came in while the state was copied, as the embedded node does
                    .append("\" stateTimestampDrop=\"false\"")
                    .append(attributeFilter(config))
                    .append("/>\n");
        } else {
            x.append("  <Manager className=\"org.apache.catalina.ha.session.BackupManager\" mapSendOptions=\"")
                    .append(config.channel().sendOptions())
                    .append("\"")
                    .append(attributeFilter(config))
                    .append("/>\n");
        }
        x.append("  <Channel className=\"org.apache.catalina.tribes.group.GroupChannel\" heartbeatSleeptime=\"")
                .append(TribesClusterFactory.CHANNEL_HEARTBEAT_MILLIS)
                .append("\">\n");
        x.append("    <Membership className=\"org.apache.catalina.tribes.membership.StaticMembershipService\">\n");
        x.append("      <LocalMember className=\"org.apache.catalina.tribes.membership.StaticMember\"")
                .append(member(self))
                .append("/>\n");
        for (NodeAddress peer : config.nodes()) {
            if (peer.index() != self.index()) {
                x.append("      <Member className=\"org.apache.catalina.tribes.membership.StaticMember\"")
                        .append(member(peer))
                        .append("/>\n");
            }
        }
        x.append("    </Membership>\n");
        x.append("    <Receiver className=\"org.apache.catalina.tribes.transport.nio.NioReceiver\" address=\"")
                .append(self.clusterHost())
                .append("\" port=\"")
                .append(self.clusterPort())
                .append("\" autoBind=\"1\"/>\n");
        x.append("    <Sender className=\"org.apache.catalina.tribes.transport.ReplicationTransmitter\">\n")
                .append(
                        "      <Transport className=\"org.apache.catalina.tribes.transport.nio.PooledParallelSender\"/>\n")
                .append("    </Sender>\n");
        config.channel()
                .encryptionKey()
                .ifPresent(key -> x.append(
                                "    <Interceptor className=\"org.apache.catalina.tribes.group.interceptors.EncryptInterceptor\"")
                        .append(" encryptionAlgorithm=\"AES/GCM/NoPadding\" encryptionKey=\"")
                        .append(key)
                        .append("\"/>\n"));
        x.append("    <Interceptor className=\"org.apache.catalina.tribes.group.interceptors.TcpFailureDetector\"/>\n");
        x.append(
                "    <Interceptor className=\"org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor\"/>\n");
        x.append("  </Channel>\n");
        x.append("  <Valve className=\"org.apache.catalina.ha.tcp.ReplicationValve\" filter=\"")
                .append(TribesClusterFactory.REPLICATION_FILTER)
                .append("\"/>\n");
        if (config.channel().jvmRouteBinder()) {
            x.append("  <Valve className=\"org.apache.catalina.ha.session.JvmRouteBinderValve\"/>\n");
        }
        x.append("  <ClusterListener className=\"org.apache.catalina.ha.session.ClusterSessionListener\"/>\n");
        x.append("</Cluster>\n");
        return x.toString();
    }

    private static String member(NodeAddress node) {
        return " host=\"" + node.clusterHost() + "\" port=\"" + node.clusterPort() + "\" uniqueId=\""
                + node.tribesUniqueId() + "\"";
    }

    /** The {@code <Manager>} for conf/context.xml in the mode's Redis flavour (redis or redisson). */
    public static String redisManager(ClusterConfig config) {
        if (config.sessionMode() == SessionMode.SPRING_SESSION) {
            throw new org.sessioncluster.config.ConfigException("session.mode = spring-session runs on the embedded"
                    + " nodes only (the node puts Spring Session's filter around the WAR); a stock Tomcat takes redis"
                    + " or redisson");
        }
        return config.sessionMode() == SessionMode.REDISSON ? redissonManager(config) : leanManager(config);
    }

    /**
     * This project's manager (redis mode): its jar and Lettuce's in lib/, where Redis is in the attributes (the
     * password in the environment variable REDIS_PASSWORD, not in the file). The lock and copy settings are
     * written resolved (a stock Tomcat cannot see the balancer's policy).
     */
    static String leanManager(ClusterConfig config) {
        StringBuilder where = new StringBuilder();
        if (!config.redis().clusterNodes().isEmpty()) {
            where.append(" clusterNodes=\"")
                    .append(String.join(",", config.redis().clusterNodes()))
                    .append('"');
        } else if (!config.redis().sentinels().isEmpty()) {
            where.append(" sentinels=\"")
                    .append(String.join(",", config.redis().sentinels()))
                    .append("\" sentinelMaster=\"")
                    .append(config.redis().sentinelMaster())
                    .append('"');
        } else {
            // no address yet (sessionctl fills it in for an embedded Redis): the usual local one, to edit
            String address = config.redis().address().isEmpty()
                    ? "redis://127.0.0.1:6379"
                    : config.redis().address();
            where.append(" address=\"").append(address).append('"');
        }
        if (!config.redis().password().isEmpty()) {
            if (!config.redis().username().isEmpty()) {
                where.append(" username=\"").append(config.redis().username()).append('"');
            }
            where.append(" passwordEnv=\"REDIS_PASSWORD\"");
        }
        config.redis()
                .tlsTruststore()
                .ifPresent(t -> where.append(" truststore=\"")
                        .append(t)
                        .append("\" truststorePassword=\"")
                        .append(config.redis().tlsTruststorePassword())
                        .append('"'));
        return "<!-- session-cluster: redis mode. Sessions live in Redis (the password, if any, in $REDIS_PASSWORD). -->\n"
                + "<Manager className=\"org.sessioncluster.node.redis.RedisSessionManager\"" + where + "\n"
                + "         keyPrefix=\"" + config.redis().keyPrefix() + "\" lockMode=\""
                + config.redis().sessionLock()
                + "\" cacheSessions=\"" + config.redis().sessionCache() + "\"\n"
                + "         lockLeaseMillis=\"" + config.redis().lockLeaseMillis() + "\" lockWaitMillis=\""
                + config.redis().lockWaitMillis() + "\" touchIntervalMillis=\""
                + config.redis().touchIntervalMillis()
                + "\" expiryGraceMillis=\"" + config.redis().expiryGraceMillis() + "\" maxConnections=\""
                + config.redis().poolMax() + "\"\n"
                + "         timeoutMillis=\"" + config.redis().timeoutMillis() + "\" retryBudgetMillis=\""
                + config.redis().retryBudgetMillis() + "\" syncReplicas=\""
                + config.redis().syncReplicas()
                + "\" configureKeyspaceEvents=\""
                + config.redis().keyspaceEvents() + "\"" + attributeFilter(config) + "/>\n";
    }

    /** Redisson's stock manager (redisson mode); Redisson reads conf/redisson.yaml. */
    static String redissonManager(ClusterConfig config) {
        return "<!-- session-cluster: redisson mode. Sessions live in Redis; conf/redisson.yaml says where. -->\n"
                + "<Manager className=\"org.redisson.tomcat.RedissonSessionManager\" configPath=\"${catalina.base}/conf/redisson.yaml\"\n"
                + "         readMode=\"" + config.redis().readMode() + "\" updateMode=\""
                + config.redis().updateMode() + "\""
                + " broadcastSessionEvents=\"" + config.redis().broadcastSessionEvents() + "\""
                + " broadcastSessionUpdates=\"" + config.redis().broadcastSessionUpdates() + "\""
                + attributeFilter(config)
                + "/>\n";
    }

    /** Tomcat's check of session attribute classes (session.allowed.classes), as XML attributes. */
    private static String attributeFilter(ClusterConfig config) {
        String regex = config.sessionAllowedClasses()
                .replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;");
        return "\n           sessionAttributeValueClassNameFilter=\"" + regex
                + "\" warnOnSessionAttributeFilterFailure=\"true\"";
    }
}
