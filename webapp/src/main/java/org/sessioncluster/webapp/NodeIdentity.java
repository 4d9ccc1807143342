package org.sessioncluster.webapp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The name of the node serving this request: set by whoever starts the container, else the host name. */
final class NodeIdentity {
    static final String PROPERTY = "sessioncluster.node.name";
    private static final String NAME = resolve();

    private NodeIdentity() {}

    static String name() {
        return NAME;
    }

    private static String resolve() {
        return LaunchSetting.of(PROPERTY, "NODE_NAME").orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "unknown";
            }
        });
    }
}
