package org.sessioncluster.node.replication;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.tipis.AbstractReplicatedMap;

/**
 * Tomcat's BackupManager, plus how many peers its replicated session map has seen (the channel can
 * report a peer before the map on that peer is ready to hold backups; a node is only ready for traffic
 * once the map knows its peers), a second look for a session the map knows but could not fetch, and a map
 * that starts (and copies the peers' session list) only once every peer counts this node as a member
 * ({@link PeerMembershipCheck}); after each request, the backups a kill left wrong are mended ({@link
 * BackupRepair}).
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

    /**
     * A change that did not reach the session's backup because the backup died during the request: Tomcat's
     * map logs "Unable to replicate data" and drops the change (its diff was already reset), while the
     * relocation that follows the death may already have copied the session to a new backup as it was
     * before the change — the next request, on another node, then reads that older copy (seen in the soak as
     * a stale answer at the moment of a kill). So when a backup of the session is gone after the request's
     * replication, the whole session is sent again to the backups it has now.
     */
    @Override
    public ClusterMessage requestCompleted(String sessionId) {
        Channel channel = getCluster() == null ? null : getCluster().getChannel();
        if (sessionId == null || channel == null || !(sessions instanceof AbstractReplicatedMap<?, ?> map)) {
            return super.requestCompleted(sessionId);
        }
        BackupRepair.repairSelfBackup(map, channel, sessionId);
        Member[] before = BackupRepair.backupsOf(map, sessionId);
        ClusterMessage result = super.requestCompleted(sessionId);
        if (Arrays.stream(before).anyMatch(m -> channel.getMember(m) == null)) {
            BackupRepair.resendWhole(map, channel, sessionId);
        }
        return result;
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
