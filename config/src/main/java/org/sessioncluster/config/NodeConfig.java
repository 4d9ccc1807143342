package org.sessioncluster.config;

/**
 * The {@code node.*} keys that hold for every node (the node table itself is {@link ClusterConfig#nodes()}).
 *
 * @param jvmOptions          the node JVMs' options
 * @param startTimeoutSeconds how long a node may take to answer its health check after it was started
 * @param internalProxies     Tomcat's RemoteIpValve internalProxies: the addresses whose X-Forwarded-For/-Proto a
 *                            node believes (loopback and the private ranges when the key is empty)
 */
public record NodeConfig(String jvmOptions, int startTimeoutSeconds, String internalProxies) {

    static NodeConfig read(ClusterConfig c) {
        String proxies = c.get("node.internal.proxies");
        return new NodeConfig(
                c.get("node.jvm.options"),
                c.getInt("node.start.timeout.seconds"),
                proxies.isEmpty() ? ConfigKeys.INTERNAL_PROXIES : proxies);
    }
}
