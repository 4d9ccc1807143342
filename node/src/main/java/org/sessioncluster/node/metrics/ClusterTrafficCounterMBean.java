package org.sessioncluster.node.metrics;

/** JMX view of {@link ClusterTrafficCounter} (Tribes registers every interceptor as an MBean). */
public interface ClusterTrafficCounterMBean {
    long getBytesSent();

    long getMessagesSent();

    long getBytesReceived();

    long getMessagesReceived();
}
