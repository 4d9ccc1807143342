package org.sessioncluster.node.replication;

import org.apache.catalina.Context;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.ClusterSessionListener;
import org.apache.catalina.ha.session.JvmRouteBinderValve;
import org.apache.catalina.ha.tcp.ReplicationValve;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.EncryptInterceptor;
import org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipService;
import org.apache.catalina.tribes.membership.cloud.CloudMembershipService;
import org.apache.catalina.tribes.transport.ReplicationTransmitter;
import org.apache.catalina.tribes.transport.nio.NioReceiver;
import org.apache.catalina.tribes.transport.nio.PooledParallelSender;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.node.metrics.ClusterTrafficCounter;

/**
 * Builds the Tomcat cluster for delta and backup modes: a Tribes channel with static membership of the
 * configured nodes (multicast is unavailable on loopback and in most containers), the replication
 * valves and the session manager template.
 */
public final class TribesClusterFactory {
    /** Requests for static resources change no session, so Tomcat does not replicate after them. */
    public static final String REPLICATION_FILTER = ".*\\.(gif|js|jpe?g|png|css|ico|svg|woff2?)$";
    /**
     * How often the Tribes channel checks its members, and so how soon a peer takes back a restarted node
     * (Tomcat's default is 5 s, during which the node gets no changes from that peer).
     */
    public static final long CHANNEL_HEARTBEAT_MILLIS = 1_000;

    private TribesClusterFactory() {}

    /**
     * Installs delta or backup on a Tomcat not yet started: the cluster (which makes the manager of every
     * distributable context) on its engine and, under {@code cluster.partition.policy = quorum}, the guard.
     */
    public static SimpleTcpCluster install(
            ClusterConfig config, NodeAddress self, Tomcat tomcat, Context webapp, ClusterTrafficCounter traffic) {
        SimpleTcpCluster cluster = create(config, self, traffic);
        tomcat.getEngine().setCluster(cluster);
        if ("quorum".equals(config.channel().partitionPolicy())) {
            webapp.getPipeline()
                    .addValve(new PartitionGuard(
                            cluster, config.nodeCount(), config.channel().partitionGraceMillis(), self.name()));
        }
        return cluster;
    }

    private static SimpleTcpCluster create(ClusterConfig config, NodeAddress self, ClusterTrafficCounter traffic) {
        SimpleTcpCluster cluster = new SimpleTcpCluster();
        // Membership only forms between nodes with the same cluster name, which otherwise defaults to
        // the Engine name.
        cluster.setClusterName(config.channel().name());
        // 6 = acknowledged and synchronous: the request returns after peers applied the change. The
        // asynchronous default (8) can leave a replica stale after a burst of writes.
        cluster.setChannelSendOptions(config.channel().sendOptions());
        TcpFailureDetector detector = new TcpFailureDetector();
        GroupChannel channel = channel(config, self, traffic, detector);
        cluster.setChannel(channel);
        cluster.setManagerTemplate(managerTemplate(config, new PeerMembershipCheck(channel, detector)));

        ReplicationValve replication = new ReplicationValve();
        replication.setFilter(REPLICATION_FILTER);
        cluster.addValve(replication);
        if (config.channel().jvmRouteBinder()) {
            // When a session lands on another node (failover, or no stickiness), give it that node's
            // route so a sticky balancer sends the user there from now on.
            cluster.addValve(new JvmRouteBinderValve());
        }
        cluster.addClusterListener(new ClusterSessionListener());
        return cluster;
    }

    private static ClusterManager managerTemplate(ClusterConfig config, PeerMembershipCheck peerCheck) {
        if (config.sessionMode() == SessionMode.DELTA) {
            PeerAwareDeltaManager delta = new PeerAwareDeltaManager();
            delta.setPeerCheck(peerCheck);
            delta.setExpireSessionsOnShutdown(false);
            delta.setNotifyListenersOnReplication(true);
            delta.setStateTransferTimeout(config.node().startTimeoutSeconds());
            // A (re)starting node queues the session messages that arrive while it receives the state, then
            // by default drops those older than the moment the peer took its copy, assuming the copy has them.
            // It need not: a peer may apply a message after copying (a login's id change, a cart write sent to
            // both at once), and the new node then keeps an old id (the user's next visit there finds no
            // session) or an old value. Applying every queued message in arrival order instead is safe here:
            // with acknowledged sends (cluster.send.options=6) a later change to a session is only sent after
            // the earlier one reached this node, so it is queued after it, and replaying a change the copy
            // already holds ends in the same state.
            delta.setStateTimestampDrop(false);
            return limitAttributes(delta, config);
        }
        ObservableBackupManager backup = new ObservableBackupManager();
        backup.setPeerCheck(peerCheck);
        backup.setMapSendOptions(config.channel().sendOptions());
        return limitAttributes(backup, config);
    }

    /**
     * Tomcat's own check (copied to each context's manager): an attribute of another class cannot be put in
     * a session, and one that arrives in replicated data is dropped with a warning. The JVM-wide
     * {@link org.sessioncluster.node.mode.SessionDataFilter} already refuses such classes before they are built.
     */
    private static ClusterManager limitAttributes(
            org.apache.catalina.ha.session.ClusterManagerBase manager, ClusterConfig config) {
        manager.setSessionAttributeValueClassNameFilter(config.session().allowedClasses());
        manager.setWarnOnSessionAttributeFilterFailure(true);
        return manager;
    }

    private static GroupChannel channel(
            ClusterConfig config, NodeAddress self, ClusterTrafficCounter traffic, TcpFailureDetector detector) {
        GroupChannel channel = new GroupChannel();
        // The failure detector takes a restarted peer back at a heartbeat (default every 5 s); until then it
        // gets no session changes from this node. PeerMembershipCheck closes that gap for the embedded
        // nodes; a shorter heartbeat narrows it for peers without the check (the stock-Tomcat snippet).
        channel.setHeartbeatSleeptime(CHANNEL_HEARTBEAT_MILLIS);

        NioReceiver receiver = new NioReceiver();
        receiver.setAddress(self.clusterHost()); // cluster.host: the channel may use an interface of its own
        receiver.setPort(self.clusterPort());
        receiver.setAutoBind(1); // exactly the configured port: peers only know that one
        channel.setChannelReceiver(receiver);

        ReplicationTransmitter sender = new ReplicationTransmitter();
        sender.setTransport(new PooledParallelSender());
        channel.setChannelSender(sender);

        if ("dns".equals(config.channel().membership())) {
            // Members are the addresses DNS_MEMBERSHIP_SERVICE_NAME resolves to (a Kubernetes headless
            // Service), each on this node's cluster port: replicas come and go without a list of names.
            CloudMembershipService cloud = new CloudMembershipService();
            cloud.setMembershipProviderClassName("dns");
            channel.setMembershipService(cloud);
        } else {
            StaticMembershipService membership = new StaticMembershipService();
            membership.setLocalMember(member(self));
            // a peer silent this long is gone: how soon a partition is noticed (and a slow peer wrongly dropped)
            membership.setExpirationTime(config.channel().memberExpiryMillis());
            for (NodeAddress peer : config.nodes()) {
                if (peer.index() != self.index()) {
                    membership.addStaticMember(member(peer));
                }
            }
            channel.setMembershipService(membership);
        }

        // Adding any interceptor replaces Tomcat's defaults, so the two defaults are added explicitly.
        channel.addInterceptor(traffic);
        config.channel().encryptionKey().ifPresent(key -> {
            // Session data and membership messages are encrypted with a pre-shared key; a node with another
            // key cannot read them, so it never becomes a member. Placed before the failure detector, which
            // writes its own test messages below it. The key is never logged.
            EncryptInterceptor encrypt = new EncryptInterceptor();
            encrypt.setEncryptionAlgorithm("AES/GCM/NoPadding");
            encrypt.setEncryptionKey(key);
            channel.addInterceptor(encrypt);
        });
        // above the failure detector, which tells it when a peer is counted gone
        channel.addInterceptor(new LateMessageFilter());
        channel.addInterceptor(detector);
        channel.addInterceptor(new MessageDispatchInterceptor());
        return channel;
    }

    private static StaticMember member(NodeAddress node) {
        try {
            StaticMember member = new StaticMember();
            member.setHost(node.clusterHost());
            member.setPort(node.clusterPort());
            member.setUniqueId(node.tribesUniqueId());
            return member;
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot describe cluster member " + node.name() + ": " + e.getMessage(), e);
        }
    }
}
