package org.sessioncluster.ctl.proxyconf;

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
        StringBuilder c = new StringBuilder();
        c.append("# HAProxy in front of the session-cluster nodes. Rendered from cluster.properties by\n");
        c.append("# `sessionctl proxy-config haproxy`; render it again after changing that file.\n");
        c.append("global\n");
        c.append("    maxconn 4096\n\n");
        c.append("defaults\n");
        c.append("    mode http\n");
        c.append("    option http-keep-alive\n");
        c.append("    option forwardfor\n");
        c.append("    timeout connect ")
                .append(config.balancer().connectTimeoutMillis())
                .append("ms\n");
        c.append("    timeout client 30s\n");
        c.append("    timeout server ")
                .append(config.balancer().responseTimeoutMillis())
                .append("ms\n");
        c.append("    timeout check ")
                .append(config.balancer().healthIntervalMillis())
                .append("ms\n");
        c.append("    # a request that could not reach a node is sent to another one (never a request already sent)\n");
        c.append("    retries 1\n");
        c.append("    retry-on conn-failure\n");
        c.append("    option redispatch\n\n");
        c.append("frontend session_cluster\n");
        c.append("    bind ")
                .append(config.balancer().host())
                .append(':')
                .append(config.balancer().port())
                .append('\n');
        c.append("    default_backend nodes\n\n");
        c.append("backend nodes\n");
        c.append("    balance ")
                .append(
                        BalancerPolicyName.LEAST_CONNECTIONS.equals(
                                        config.balancer().policy())
                                ? "leastconn"
                                : "roundrobin")
                .append('\n');
        c.append("    option httpchk GET /health\n");
        c.append("    http-check expect status 200\n");
        c.append("    default-server inter ")
                .append(config.balancer().healthIntervalMillis())
                .append("ms fall ")
                .append(config.balancer().healthFall())
                .append(" rise ")
                .append(config.balancer().healthRise())
                .append('\n');
        if (BalancerPolicyName.STICKY.equals(config.balancer().policy())) {
            c.append("    # sticky by jvmRoute: <session id>.<node name>\n");
            for (NodeAddress n : config.nodes()) {
                c.append("    use-server ")
                        .append(n.name())
                        .append(" if { req.cook(JSESSIONID) -m end .")
                        .append(n.name())
                        .append(" }\n");
            }
        }
        for (NodeAddress n : config.nodes()) {
            c.append("    server ")
                    .append(n.name())
                    .append(' ')
                    .append(n.host())
                    .append(':')
                    .append(n.httpPort())
                    .append(" check weight ")
                    .append(config.weightOf(n.name()))
                    .append('\n');
        }
        return c.toString();
    }
}
