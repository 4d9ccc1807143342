package org.sessioncluster.config;

/**
 * One node of the cluster as the config describes it.
 *
 * @param index       1-based position in the node list
 * @param name        node name, also Tomcat's jvmRoute ({@code node-1}, {@code node-2}, …)
 * @param host        address the node binds its HTTP connector and cluster receiver to
 * @param httpPort    HTTP port; 0 means "pick a free one when starting"
 * @param clusterPort Tribes receiver port (delta/backup); 0 means "pick a free one when starting"
 * @param clusterHost address the Tribes receiver binds to and peers dial (cluster.host; else the same as host)
 */
public record NodeAddress(int index, String name, String host, int httpPort, int clusterPort, String clusterHost) {

    /** A node whose cluster channel shares the HTTP address. */
    public NodeAddress(int index, String name, String host, int httpPort, int clusterPort) {
        this(index, name, host, httpPort, clusterPort, host);
    }

    public static String nameOf(int index) {
        return "node-" + index;
    }

    public String httpBaseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + httpPort;
    }

    /**
     * The Tribes member id of this node (delta, backup): 16 signed bytes in braces, the index in the last
     * one. The embedded node and the stock-Tomcat {@code <Cluster>} use the same ids.
     */
    public String tribesUniqueId() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < 15; i++) {
            sb.append(i == 0 ? "83" : "0").append(',');
        }
        return sb.append(index).append('}').toString();
    }
}
