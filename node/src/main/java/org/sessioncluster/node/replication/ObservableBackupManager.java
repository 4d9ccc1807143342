package org.sessioncluster.node.replication;

import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.logging.Logger;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Session;
import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.ClusterMessage;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
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
        repairSelfBackup(sessionId);
        Member[] before = backupsOf(sessionId);
        ClusterMessage result = super.requestCompleted(sessionId);
        Channel channel = getCluster() == null ? null : getCluster().getChannel();
        if (channel != null && Arrays.stream(before).anyMatch(m -> channel.getMember(m) == null)) {
            resendWhole(sessionId, channel);
        }
        return result;
    }

    /**
     * When a node takes a session over from a dead primary while another node fetches it at the same moment,
     * the two tell each other who owns it, and a late "you are my backup" can leave this node the owner
     * with itself as the backup: the request's change then goes to this node alone (and marks its own copy
     * a backup), and the next request elsewhere reads an older copy (seen in the soak as a stale answer at a
     * kill, with the map logging a message received from itself). So before replicating, a session this
     * node owns with itself as backup gets a live peer as backup, with the whole session, and the other
     * peers are told where it is.
     */
    private void repairSelfBackup(String sessionId) {
        Channel channel = getCluster() == null ? null : getCluster().getChannel();
        if (sessionId == null || channel == null || !(sessions instanceof AbstractReplicatedMap<?, ?> map)) {
            return;
        }
        AbstractReplicatedMap.MapEntry<?, ?> entry = map.getInternal(sessionId);
        Member self = channel.getLocalMember(false);
        if (entry == null
                || !entry.isPrimary()
                || entry.getBackupNodes() == null
                || !Arrays.asList(entry.getBackupNodes()).contains(self)
                || !(entry.getValue() instanceof Serializable value)) {
            return;
        }
        Member[] peers = Arrays.stream(map.getMapMembers())
                .filter(m -> !m.equals(self) && channel.getMember(m) != null)
                .toArray(Member[]::new);
        if (peers.length == 0) {
            entry.setBackupNodes(new Member[0]);
            return;
        }
        Member[] backup = {peers[0]};
        Member[] others = Arrays.copyOfRange(peers, 1, peers.length);
        entry.setBackupNodes(backup);
        try {
            sendWhole(map, channel, sessionId, value, backup);
            if (others.length > 0) {
                channel.send(
                        others,
                        new AbstractReplicatedMap.MapMessage(
                                map.getMapContextName(),
                                AbstractReplicatedMap.MapMessage.MSG_PROXY,
                                false,
                                sessionId,
                                null,
                                null,
                                self,
                                backup),
                        map.getChannelSendOptions());
            }
            LOG.info(() -> "session " + shortId(sessionId) + " named this node as its own backup: "
                    + backup[0].getName() + " holds the backup now");
        } catch (ChannelException e) {
            LOG.warning(() -> "could not give session " + shortId(sessionId) + " a new backup: " + e.getMessage());
        }
    }

    private Member[] backupsOf(String sessionId) {
        if (sessionId != null && sessions instanceof AbstractReplicatedMap<?, ?> map) {
            AbstractReplicatedMap.MapEntry<?, ?> entry = map.getInternal(sessionId);
            if (entry != null && entry.isPrimary() && entry.getBackupNodes() != null) {
                return entry.getBackupNodes().clone();
            }
        }
        return new Member[0];
    }

    private void resendWhole(String sessionId, Channel channel) {
        if (!(sessions instanceof AbstractReplicatedMap<?, ?> map)) {
            return;
        }
        AbstractReplicatedMap.MapEntry<?, ?> entry = map.getInternal(sessionId);
        if (entry == null || !(entry.getValue() instanceof Serializable value)) {
            return;
        }
        // The relocation may be under way in another thread, having copied the session before this request
        // changed it: wait until the entry names only live backups (milliseconds), then send it whole.
        long deadline = System.nanoTime() + RETRY_MILLIS * 1_000_000;
        Member[] live;
        while (true) {
            Member[] backups = entry.getBackupNodes();
            live = backups == null
                    ? new Member[0]
                    : Arrays.stream(backups)
                            .filter(m -> channel.getMember(m) != null)
                            .toArray(Member[]::new);
            if (!entry.isPrimary() || map.getMapMembers().length == 0) {
                return; // another node took the session over, or no peer is left to hold a backup
            }
            if (live.length > 0 && live.length == backups.length) {
                break;
            }
            if (System.nanoTime() > deadline) {
                LOG.warning(() -> "session " + shortId(sessionId) + " lost a backup during its request and got no new"
                        + " one within " + RETRY_MILLIS + " ms; its last change is on this node only");
                return;
            }
            try {
                Thread.sleep(5); // the relocation sets the new backup when its copy is acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            sendWhole(map, channel, sessionId, value, live);
            LOG.info(() -> "a backup of session " + shortId(sessionId) + " died during its request: the whole session"
                    + " was sent again to its backup now");
        } catch (ChannelException e) {
            LOG.warning(
                    () -> "could not send session " + shortId(sessionId) + " again to its backup: " + e.getMessage());
        }
    }

    /** The whole session to these backups, as the map's own relocation sends it. */
    private static void sendWhole(
            AbstractReplicatedMap<?, ?> map, Channel channel, String sessionId, Serializable value, Member[] backups)
            throws ChannelException {
        channel.send(
                backups,
                new AbstractReplicatedMap.MapMessage(
                        map.getMapContextName(),
                        AbstractReplicatedMap.MapMessage.MSG_BACKUP,
                        false,
                        sessionId,
                        value,
                        null,
                        channel.getLocalMember(false),
                        backups),
                map.getChannelSendOptions());
    }

    private static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8) + "…";
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
