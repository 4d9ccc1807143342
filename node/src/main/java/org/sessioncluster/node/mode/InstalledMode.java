package org.sessioncluster.node.mode;

import org.apache.catalina.Manager;
import org.apache.catalina.ha.tcp.SimpleTcpCluster;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.node.disk.MeteredFileStore;
import org.sessioncluster.node.replication.ObservableBackupManager;

/**
 * The session mode as installed on a running node, seen from outside: what the status and metrics
 * pages report.
 *
 * @param mode    the mode
 * @param cluster the Tomcat cluster (delta, backup) or null
 * @param store   the shared session store (disk) or null
 */
public record InstalledMode(SessionMode mode, SimpleTcpCluster cluster, MeteredFileStore store) {

    /** Bytes the disk mode wrote to its store (0 in other modes). */
    public long storeBytesWritten() {
        return store == null ? 0 : store.bytesWritten();
    }

    /** Session saves the disk mode forced to the device (session.store.fsync; 0 otherwise). */
    public long storeFsyncs() {
        return store == null ? 0 : store.fsyncs();
    }

    /** Peers on the Tribes channel, or -1 when the mode has no channel. */
    public int channelPeers() {
        return cluster == null ? -1 : cluster.getMembers().length;
    }

    /** Peers of the backup manager's replicated map (backup mode), or -1. */
    public int mapPeers(Manager manager) {
        return manager instanceof ObservableBackupManager backup ? backup.mapPeers() : -1;
    }
}
