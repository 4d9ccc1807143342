package org.sessioncluster.node.replication;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;

/**
 * Drops a message a peer sent before this node counted that peer gone, when it arrives afterwards: a session
 * change that sat in the network during a partition (TCP sends it again after the heal, seconds later) would
 * otherwise overwrite every change made since, rolling the session back to what it was when the partition began.
 * A message carries the time it was sent ({@link ChannelMessage#getTimestamp()}, the sender's clock): clocks of
 * different machines must agree to well under the member expiry (seconds; NTP keeps them to milliseconds). A
 * restarted peer's messages are all sent after it was counted gone, and pass.
 */
public final class LateMessageFilter extends ChannelInterceptorBase implements LateMessageFilterMBean {
    private static final Logger LOG = Logger.getLogger(LateMessageFilter.class.getName());

    /** When each peer was last counted gone (this node's clock, ms). */
    private final Map<Member, Long> goneSince = new ConcurrentHashMap<>();

    private final AtomicLong dropped = new AtomicLong();

    @Override
    public void memberDisappeared(Member member) {
        goneSince.put(member, System.currentTimeMillis());
        super.memberDisappeared(member);
    }

    @Override
    public void messageReceived(ChannelMessage msg) {
        Long gone = goneSince.get(msg.getAddress());
        if (gone != null && msg.getTimestamp() < gone) {
            long n = dropped.incrementAndGet();
            LOG.warning("dropped a cluster message sent " + (System.currentTimeMillis() - msg.getTimestamp())
                    + " ms ago, before its sender was counted gone (" + n + " so far): it would undo the changes"
                    + " made since");
            return;
        }
        super.messageReceived(msg);
    }

    @Override
    public long getDropped() {
        return dropped.get();
    }
}
