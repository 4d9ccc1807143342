package org.sessioncluster.ctl.tomcat;

import org.sessioncluster.config.ChannelConfig;
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
        ChannelConfig channel = config.channel();
        String manager = mode == SessionMode.DELTA
                // stateTimestampDrop=false: replay every change that came in while the state was copied, as the
                // embedded node does
                ? """
                  <Manager className="org.apache.catalina.ha.session.DeltaManager" expireSessionsOnShutdown="false"
                           notifyListenersOnReplication="true" stateTransferTimeout="%d" stateTimestampDrop="false"%s/>
                """.formatted(config.node().startTimeoutSeconds(), attributeFilter(config))
                : """
                  <Manager className="org.apache.catalina.ha.session.BackupManager" mapSendOptions="%d"%s/>
                """.formatted(channel.sendOptions(), attributeFilter(config));
        StringBuilder members = new StringBuilder(member("LocalMember", self));
        config.nodes().stream()
                .filter(peer -> peer.index() != self.index())
                .forEach(peer -> members.append(member("Member", peer)));
        String encryption = channel.encryptionKey()
                .map(key ->
                        "    <Interceptor className=\"org.apache.catalina.tribes.group.interceptors.EncryptInterceptor\""
                                + " encryptionAlgorithm=\"AES/GCM/NoPadding\" encryptionKey=\"" + key + "\"/>\n")
                .orElse("");
        String routeBinder = channel.jvmRouteBinder()
                ? "  <Valve className=\"org.apache.catalina.ha.session.JvmRouteBinderValve\"/>\n"
                : "";
        return """
                <!-- session-cluster: %s mode, %s. Rendered from cluster.properties; every node lists all the others. -->
                <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" clusterName="%s" channelSendOptions="%d">
                %s  <Channel className="org.apache.catalina.tribes.group.GroupChannel" heartbeatSleeptime="%d">
                    <Membership className="org.apache.catalina.tribes.membership.StaticMembershipService">
                %s    </Membership>
                    <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver" address="%s" port="%d" autoBind="1"/>
                    <Sender className="org.apache.catalina.tribes.transport.ReplicationTransmitter">
                      <Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender"/>
                    </Sender>
                %s    <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector"/>
                    <Interceptor className="org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor"/>
                  </Channel>
                  <Valve className="org.apache.catalina.ha.tcp.ReplicationValve" filter="%s"/>
                %s  <ClusterListener className="org.apache.catalina.ha.session.ClusterSessionListener"/>
                </Cluster>
                """.formatted(
                        mode.configName(),
                        self.name(),
                        channel.name(),
                        channel.sendOptions(),
                        manager,
                        TribesClusterFactory.CHANNEL_HEARTBEAT_MILLIS,
                        members,
                        self.clusterHost(),
                        self.clusterPort(),
                        encryption,
                        TribesClusterFactory.REPLICATION_FILTER,
                        routeBinder);
    }

    /** A static member of the channel, as {@code <LocalMember>} or {@code <Member>} says it. */
    private static String member(String element, NodeAddress node) {
        return "      <%s className=\"org.apache.catalina.tribes.membership.StaticMember\" host=\"%s\" port=\"%d\" uniqueId=\"%s\"/>\n"
                .formatted(element, node.clusterHost(), node.clusterPort(), node.tribesUniqueId());
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
        String regex = config.session()
                .allowedClasses()
                .replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;");
        return "\n           sessionAttributeValueClassNameFilter=\"" + regex
                + "\" warnOnSessionAttributeFilterFailure=\"true\"";
    }
}
