package org.sessioncluster.node.metrics;

import java.util.concurrent.atomic.LongAdder;
import org.apache.catalina.tribes.ChannelException;
import org.apache.catalina.tribes.ChannelMessage;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.group.ChannelInterceptorBase;
import org.apache.catalina.tribes.group.InterceptorPayload;

/**
 * A Tribes interceptor that counts what crosses the cluster channel: one message and its bytes per
 * destination on send, per message on receipt. This is how the project measures what all-to-all
 * replication costs.
 */
public class ClusterTrafficCounter extends ChannelInterceptorBase implements ClusterTrafficCounterMBean {
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder messagesReceived = new LongAdder();

    @Override
    public void sendMessage(Member[] destination, ChannelMessage msg, InterceptorPayload payload)
            throws ChannelException {
        int copies = destination == null ? 0 : destination.length;
        messagesSent.add(copies);
        bytesSent.add((long) copies * msg.getMessage().getLength());
        super.sendMessage(destination, msg, payload);
    }

    @Override
    public void messageReceived(ChannelMessage msg) {
        messagesReceived.increment();
        bytesReceived.add(msg.getMessage().getLength());
        super.messageReceived(msg);
    }

    @Override
    public long getBytesSent() {
        return bytesSent.sum();
    }

    @Override
    public long getMessagesSent() {
        return messagesSent.sum();
    }

    @Override
    public long getBytesReceived() {
        return bytesReceived.sum();
    }

    @Override
    public long getMessagesReceived() {
        return messagesReceived.sum();
    }
}
