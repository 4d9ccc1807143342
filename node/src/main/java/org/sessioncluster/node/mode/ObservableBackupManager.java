package org.sessioncluster.node.mode;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.tribes.tipis.AbstractReplicatedMap;

/**
 * Tomcat's BackupManager, plus how many peers its replicated session map has seen (the channel can
 * report a peer before the map on that peer is ready to hold backups; a node is only ready for traffic
 * once the map knows its peers), a second look for a session the map knows but could not fetch, and a map
 * that starts (and copies the peers' session list) only once every peer counts this node as a member
 * ({@link PeerMembershipCheck}).
 */
public class ObservableBackupManager extends BackupManager {
    private static final Logger LOG = Logger.getLogger(ObservableBackupManager.class.getName());
    /** How long a session the map knows is looked up again after a failed fetch. */
    static final long RETRY_MILLIS = 2_000;

    private static final long POLL_MILLIS = 25;

    private PeerMembershipCheck peerCheck;

    void setPeerCheck(PeerMembershipCheck peerCheck) {
        this.peerCheck = peerCheck;
    }

    @Override
    protected synchronized void startInternal() throws LifecycleException {
        if (peerCheck != null && getCluster() != null && getCluster().getMembers().length > 0) {
            // the replicated map is made (and copies a peer's entry list) in the start below
            peerCheck.awaitCountedByPeers(Duration.ofMillis(Math.max(1_000, 3 * getRpcTimeout())));
        }
        super.startInternal();
    }

    /**
     * Right after a member dies, fetching a session from its backup can succeed and still return nothing:
     * the map then tells every member it owns the session now, the message to the dead member fails, and
     * the whole lookup gives up ("Unable to replicate out data for an AbstractReplicatedMap.get
     * operation") until the map's membership drops the dead member, milliseconds later. Tomcat would then
     * hand the user a new, empty session — a lost login although the session lives on a survivor. So a
     * session the map still lists is looked up again for up to {@link #RETRY_MILLIS}; an id the map does not
     * know (expired, forged) is answered at once.
     */
    @Override
    public Session findSession(String id) throws IOException {
        Session found = super.findSession(id);
        if (found != null
                || id == null
                || !(sessions instanceof AbstractReplicatedMap<?, ?> map)
                || !map.containsKey(id)) {
            return found;
        }
        long start = System.nanoTime();
        while (System.nanoTime() - start < RETRY_MILLIS * 1_000_000) {
            try {
                Thread.sleep(POLL_MILLIS); // the map's membership catches up within milliseconds
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            found = super.findSession(id);
            if (found != null) {
                long waited = (System.nanoTime() - start) / 1_000_000;
                LOG.info(() -> "session fetched on a second look after " + waited + " ms (a peer had just left)");
                return found;
            }
            if (!map.containsKey(id)) {
                return null;
            }
        }
        return null;
    }

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
        copy.peerCheck = peerCheck;
        return copy;
    }
}
