package org.sessioncluster.node.replication;

import java.io.Serializable;
import java.util.Arrays;
import java.util.logging.Logger;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.tipis.AbstractReplicatedMap;

/**
 * Mends the backups of a session that a kill during its request left wrong, in the backup mode's replicated
 * map: a session that names its own node as its backup, and a change whose backup died before it arrived.
 */
final class BackupRepair {
    private static final Logger LOG = Logger.getLogger(BackupRepair.class.getName());

    private BackupRepair() {}

    /**
     * When a node takes a session over from a dead primary while another node fetches it at the same moment,
     * the two tell each other who owns it, and a late "you are my backup" can leave this node the owner
     * with itself as the backup: the request's change then goes to this node alone (and marks its own copy
     * a backup), and the next request elsewhere reads an older copy (seen in the soak as a stale answer at a
     * kill, with the map logging a message received from itself). So before replicating, a session this
     * node owns with itself as backup gets a live peer as backup, with the whole session, and the other
     * peers are told where it is.
     */
    static void repairSelfBackup(AbstractReplicatedMap<?, ?> map, Channel channel, String sessionId) {
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

    /** The backups the session has now (none when this node is not its primary). */
    static Member[] backupsOf(AbstractReplicatedMap<?, ?> map, String sessionId) {
        AbstractReplicatedMap.MapEntry<?, ?> entry = map.getInternal(sessionId);
        if (entry != null && entry.isPrimary() && entry.getBackupNodes() != null) {
            return entry.getBackupNodes().clone();
        }
        return new Member[0];
    }

    /**
     * A change that did not reach the session's backup because the backup died during the request: the whole
     * session again to the backups it has once the relocation has named live ones.
     */
    static void resendWhole(AbstractReplicatedMap<?, ?> map, Channel channel, String sessionId) {
        AbstractReplicatedMap.MapEntry<?, ?> entry = map.getInternal(sessionId);
        if (entry == null || !(entry.getValue() instanceof Serializable value)) {
            return;
        }
        // The relocation may be under way in another thread, having copied the session before this request
        // changed it: wait until the entry names only live backups (milliseconds), then send it whole.
        long deadline = System.nanoTime() + ObservableBackupManager.RETRY_MILLIS * 1_000_000;
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
                        + " one within " + ObservableBackupManager.RETRY_MILLIS
                        + " ms; its last change is on this node only");
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
}
