package org.sessioncluster.ctl.proxyconf;

import org.sessioncluster.config.BalancerConfig;
import org.sessioncluster.config.BalancerPolicyName;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;

/**
 * An HAProxy configuration equivalent to the embedded balancer: the same nodes, policy, weights and
 * health checks. Stickiness follows Tomcat's jvmRoute as mod_jk does: a JSESSIONID ending in
 * {@code .node-2} goes to the server named node-2 while it is up ({@code use-server}; HAProxy ignores
 * the rule when that server is down and balances instead).
 */
public final class HaproxyConfig {
    private HaproxyConfig() {}

    public static String render(ClusterConfig config) {
        BalancerConfig b = config.balancer();
        StringBuilder servers = new StringBuilder();
        if (BalancerPolicyName.STICKY.equals(b.policy())) {
            servers.append("    # sticky by jvmRoute: <session id>.<node name>\n");
            for (NodeAddress n : config.nodes()) {
                servers.append("    use-server %1$s if { req.cook(JSESSIONID) -m end .%1$s }\n".formatted(n.name()));
            }
        }
        for (NodeAddress n : config.nodes()) {
            servers.append("    server %s %s:%d check weight %d\n"
                    .formatted(n.name(), n.host(), n.httpPort(), config.weightOf(n.name())));
        }
        return """
                # HAProxy in front of the session-cluster nodes. Rendered from cluster.properties by
                # `sessionctl proxy-config haproxy`; render it again after changing that file.
                global
                    maxconn 4096

                defaults
                    mode http
                    option http-keep-alive
                    option forwardfor
                    timeout connect %1$dms
                    timeout client 30s
                    timeout server %2$dms
                    timeout check %3$dms
                    # a request that could not reach a node is sent to another one (never a request already sent)
                    retries 1
                    retry-on conn-failure
                    option redispatch

                frontend session_cluster
                    bind %4$s:%5$d
                    default_backend nodes

                backend nodes
                    balance %6$s
                    option httpchk GET /health
                    http-check expect status 200
                    default-server inter %3$dms fall %7$d rise %8$d
                """.formatted(
                                b.connectTimeoutMillis(),
                                b.responseTimeoutMillis(),
                                b.healthIntervalMillis(),
                                b.host(),
                                b.port(),
                                BalancerPolicyName.LEAST_CONNECTIONS.equals(b.policy()) ? "leastconn" : "roundrobin",
                                b.healthFall(),
                                b.healthRise())
                + servers;
    }
}
