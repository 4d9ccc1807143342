package org.sessioncluster.node.replication;

import java.time.Duration;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.DeltaManager;

/**
 * Tomcat's DeltaManager that asks for the session state only once every peer counts this node as a member
 * ({@link PeerMembershipCheck}): changes a peer makes before it does would never reach this node.
 */
public class PeerAwareDeltaManager extends DeltaManager {
    private PeerMembershipCheck peerCheck;

    void setPeerCheck(PeerMembershipCheck peerCheck) {
        this.peerCheck = peerCheck;
    }

    @Override
    public synchronized void getAllClusterSessions() {
        if (peerCheck != null && getCluster() != null && getCluster().getMembers().length > 0) {
            peerCheck.awaitCountedByPeers(Duration.ofSeconds(Math.max(1, getStateTransferTimeout())));
        }
        super.getAllClusterSessions();
    }

    @Override
    public ClusterManager cloneFromTemplate() {
        PeerAwareDeltaManager copy = new PeerAwareDeltaManager();
        clone(copy);
        copy.setExpireSessionsOnShutdown(isExpireSessionsOnShutdown());
        copy.setNotifySessionListenersOnReplication(isNotifySessionListenersOnReplication());
        copy.setNotifyContainerListenersOnReplication(isNotifyContainerListenersOnReplication());
        copy.setStateTransferTimeout(getStateTransferTimeout());
        copy.setSendAllSessions(isSendAllSessions());
        copy.setSendAllSessionsSize(getSendAllSessionsSize());
        copy.setSendAllSessionsWaitTime(getSendAllSessionsWaitTime());
        copy.setStateTimestampDrop(isStateTimestampDrop());
        copy.peerCheck = peerCheck;
        return copy;
    }
}
