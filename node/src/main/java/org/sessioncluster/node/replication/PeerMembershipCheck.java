package org.sessioncluster.node.replication;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.apache.catalina.tribes.ByteMessage;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.Response;
import org.apache.catalina.tribes.group.RpcCallback;
import org.apache.catalina.tribes.group.RpcChannel;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;

/**
 * Whether the peers count this node as a member yet, asked before a session manager takes its copy of the
 * sessions.
 *
 * <p>A restarted node sees its peers at once, but a peer that saw it die takes it back only at its failure
 * detector's next check, up to a channel heartbeat later. Until then that peer sends its session changes
 * to everyone but this node, and a copy of the sessions taken meanwhile misses them for good: the node
 * answers with old carts and versions after every rejoin (seen in the soak as stale answers in the seconds
 * after a node came back). So the managers ask every peer "do you count me?" and take their copy only when
 * all say yes; a peer asked by a node it does not count checks its suspects at once instead of waiting for
 * its heartbeat. The question and the answer are {@link ByteMessage}s, which the channel does not run
 * through Java serialization (and so not through {@link org.sessioncluster.node.mode.SessionDataFilter}).
 */
public final class PeerMembershipCheck implements RpcCallback {
    private static final Logger LOG = Logger.getLogger(PeerMembershipCheck.class.getName());
    private static final byte[] RPC_ID = "session-cluster:peer-membership".getBytes(StandardCharsets.US_ASCII);
    private static final byte YES = 1;
    private static final byte NO = 0;
    private static final long ASK_TIMEOUT_MILLIS = 1_000;
    private static final long RETRY_MILLIS = 100;

    private final Channel channel;
    private final TcpFailureDetector detector;
    private final RpcChannel rpc;

    /**
     * Answers peers from now on (before the channel starts is fine: nothing arrives until it does).
     *
     * @param detector the channel's failure detector, asked to re-check its suspects when a peer it does
     *     not count asks
     */
    PeerMembershipCheck(Channel channel, TcpFailureDetector detector) {
        this.channel = channel;
        this.detector = detector;
        this.rpc = new RpcChannel(RPC_ID, channel, this);
    }

    @Override
    public Serializable replyRequest(Serializable msg, Member sender) {
        if (channel.getMember(sender) == null) {
            detector.checkMembers(false); // a restarted peer is taken back now, not at the next heartbeat
        }
        return new ByteMessage(new byte[] {channel.getMember(sender) != null ? YES : NO});
    }

    @Override
    public void leftOver(Serializable msg, Member sender) {
        // an answer that came after its question timed out: the next question gets a fresh one
    }

    /**
     * Waits until every peer this node sees counts it as a member, asking each once per round.
     *
     * @return true when all did; false when {@code timeout} passed first (logged with the peers that did not)
     */
    public boolean awaitCountedByPeers(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (true) {
            Member[] peers = channel.getMembers();
            List<String> missing = notCounting(peers);
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (missing.isEmpty()) {
                if (peers.length > 0) {
                    LOG.info(() -> "every peer counts this node as a member (" + peers.length + " asked, " + waited
                            + " ms): taking the session state now");
                }
                return true;
            }
            if (System.nanoTime() > deadline) {
                LOG.warning(() -> "after " + waited + " ms these peers still do not count this node as a member: "
                        + missing + "; taking the session state anyway (their changes until they do may be missed)");
                return false;
            }
            try {
                Thread.sleep(RETRY_MILLIS); // the peers' failure detectors were just asked to look again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The peers that did not answer yes. A peer without this check (it answers at once with no reply) is not waited for. */
    private List<String> notCounting(Member[] peers) {
        if (peers.length == 0) {
            return List.of();
        }
        long asked = System.nanoTime();
        Response[] answers;
        boolean sent = true;
        try {
            answers = rpc.send(
                    peers,
                    new ByteMessage(new byte[] {YES}),
                    RpcChannel.ALL_REPLY,
                    Channel.SEND_OPTIONS_USE_ACK,
                    ASK_TIMEOUT_MILLIS);
        } catch (ChannelException e) {
            // a peer that just died: the membership drops it, and the next round asks the rest again
            answers = new Response[0];
            sent = false;
        }
        // every peer was asked and the call came back before its timeout: a peer missing from the answers
        // said "no such question here" (a stock Tomcat without this check)
        boolean answeredInTime = sent && (System.nanoTime() - asked) / 1_000_000 < ASK_TIMEOUT_MILLIS;
        Set<Member> yes = new HashSet<>();
        Set<Member> answered = new HashSet<>();
        for (Response r : answers) {
            answered.add(r.getSource());
            if (r.getMessage() instanceof ByteMessage b && b.getMessage().length == 1 && b.getMessage()[0] == YES) {
                yes.add(r.getSource());
            }
        }
        List<String> missing = new ArrayList<>();
        for (Member peer : peers) {
            boolean withoutCheck = !answered.contains(peer) && answeredInTime;
            if (!yes.contains(peer) && !withoutCheck) {
                missing.add(peer.getName());
            }
        }
        return missing;
    }
}
