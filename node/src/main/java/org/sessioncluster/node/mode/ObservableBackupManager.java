package org.sessioncluster.node.mode;

import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.tribes.tipis.AbstractReplicatedMap;

/**
 * Tomcat's BackupManager, plus how many peers its replicated session map has seen. The channel can
 * report a peer before the map on that peer is ready to hold backups; a node is only ready for traffic
 * once the map knows its peers.
 */
public class ObservableBackupManager extends BackupManager {

    /** Peers of the replicated session map; -1 before the map exists. */
    public int mapPeers() {
        if (sessions instanceof AbstractReplicatedMap<?, ?> map) {
            return map.getMapMembers().length;
        }
        return -1;
    }

    @Override
    public ClusterManager cloneFromTemplate() {
        ObservableBackupManager copy = new ObservableBackupManager();
        clone(copy);
        copy.setMapSendOptions(getMapSendOptions());
        copy.setRpcTimeout(getRpcTimeout());
        copy.setTerminateOnStartFailure(isTerminateOnStartFailure());
        copy.setAccessTimeout(getAccessTimeout());
        return copy;
    }
}
