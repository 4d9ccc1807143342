package org.sessioncluster.node.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.catalina.tribes.Channel;
import org.apache.catalina.tribes.group.GroupChannel;
import org.apache.catalina.tribes.group.interceptors.TcpFailureDetector;
import org.junit.jupiter.api.Test;
import org.sessioncluster.testsupport.FreePorts;

/**
 * A real Tribes channel with the filter among its interceptors, started as a node starts it: Tribes registers
 * every interceptor as an MBean, and one that is not compliant costs a warning with a stack trace in the log of
 * every delta and backup node at every start.
 */
class LateMessageFilterTest {
    @Test
    void theChannelRegistersTheFilterAsAnMBeanWithoutAWarning() throws Exception {
        Logger jmx = Logger.getLogger("org.apache.catalina.tribes.jmx.JmxRegistry");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jmx.addHandler(capture);
        GroupChannel channel = channel(FreePorts.loopback());
        try {
            channel.start(Channel.DEFAULT);
            assertThat(warnings)
                    .extracting(LogRecord::getMessage)
                    .as("warnings of Tribes' JMX registry")
                    .isEmpty();
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = server.queryNames(null, null).stream()
                    .filter(n -> n.toString().contains("LateMessageFilter"))
                    .collect(java.util.stream.Collectors.toSet());
            assertThat(names).as("the filter's MBean").hasSize(1);
            assertThat(server.getAttribute(names.iterator().next(), "Dropped")).isEqualTo(0L);
        } finally {
            channel.stop(Channel.DEFAULT);
            jmx.removeHandler(capture);
        }
    }

    /** The channel of {@link PeerMembershipCheckTest} (a peer that never comes), named, with the filter. */
    private static GroupChannel channel(int port) {
        GroupChannel channel =
                PeerMembershipCheckTest.channel(port, 1, FreePorts.loopback(), 2, new TcpFailureDetector());
        channel.setName("late-message-filter-test"); // Tribes registers the MBeans of a named channel (a cluster's)
        channel.addInterceptor(new LateMessageFilter());
        return channel;
    }
}
