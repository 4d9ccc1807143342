package org.sessioncluster.ctl.cluster;

import org.sessioncluster.config.NodeAddress;

/** A node of a running cluster: where it listens, the JVM that runs it and the WAR it runs (null: unknown). */
public record ClusterNode(NodeAddress address, ManagedProcess process, java.nio.file.Path war) {
    public ClusterNode(NodeAddress address, ManagedProcess process) {
        this(address, process, null);
    }

    public String name() {
        return address.name();
    }

    public String url() {
        return address.httpBaseUrl();
    }
}
