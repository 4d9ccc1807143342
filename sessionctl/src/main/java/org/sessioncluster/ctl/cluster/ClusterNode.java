package org.sessioncluster.ctl.cluster;

import org.sessioncluster.config.NodeAddress;

/** A node of a running cluster: where it listens and the JVM that runs it. */
public record ClusterNode(NodeAddress address, ManagedProcess process) {
    public String name() {
        return address.name();
    }

    public String url() {
        return address.httpBaseUrl();
    }
}
