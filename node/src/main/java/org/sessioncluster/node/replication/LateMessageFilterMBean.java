package org.sessioncluster.node.replication;

/**
 * JMX view of {@link LateMessageFilter}: Tribes registers every interceptor of a channel as an MBean and logs a
 * warning with a stack trace at every start for one that is not.
 */
public interface LateMessageFilterMBean {
    /** Messages dropped so far. */
    long getDropped();
}
