package org.sessioncluster.ctl.proxyconf;

import org.sessioncluster.config.BalancerPolicyName;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.NodeAddress;

/**
 * An nginx (open source) configuration equivalent to the embedded balancer. Open-source nginx has no
 * cookie stickiness (that is NGINX Plus), so the sticky policy becomes {@code hash $cookie_JSESSIONID
 * consistent}: a session keeps hashing to the same node until that node fails or the id changes. Health
 * checks are passive only ({@code max_fails}, {@code fail_timeout}).
 */
public final class NginxConfig {
    private NginxConfig() {}

    public static String render(ClusterConfig config) {
        StringBuilder c = new StringBuilder();
        c.append("# nginx in front of the session-cluster nodes. Rendered from cluster.properties by\n");
        c.append("# `sessionctl proxy-config nginx`; render it again after changing that file.\n");
        c.append("# Run: nginx -p <folder> -c <this file>\n");
        c.append("worker_processes 1;\n");
        c.append("error_log stderr warn;\n");
        c.append("pid nginx.pid;\n\n");
        c.append("events {\n    worker_connections 1024;\n}\n\n");
        c.append("http {\n");
        c.append("    access_log off;\n\n");
        c.append("    upstream session_cluster {\n");
        switch (config.balancer().policy()) {
            case BalancerPolicyName.STICKY -> c.append("        hash $cookie_JSESSIONID consistent;\n");
            case BalancerPolicyName.LEAST_CONNECTIONS -> c.append("        least_conn;\n");
            default -> c.append("        # round-robin (nginx's default)\n");
        }
        int failTimeoutSeconds = Math.max(
                1, config.balancer().healthIntervalMillis() * config.balancer().healthFall() / 1000);
        for (NodeAddress n : config.nodes()) {
            int weight = config.weightOf(n.name());
            c.append("        server ").append(n.host()).append(':').append(n.httpPort());
            if (weight == 0) {
                c.append(" down");
            } else {
                c.append(" weight=").append(weight);
            }
            c.append(" max_fails=1 fail_timeout=")
                    .append(failTimeoutSeconds)
                    .append("s;  # ")
                    .append(n.name())
                    .append('\n');
        }
        c.append("        keepalive 32;\n");
        c.append("    }\n\n");
        c.append("    server {\n");
        c.append("        listen ")
                .append(config.balancer().host())
                .append(':')
                .append(config.balancer().port())
                .append(";\n");
        c.append("        location / {\n");
        c.append("            proxy_pass http://session_cluster;\n");
        c.append("            proxy_http_version 1.1;\n");
        c.append("            proxy_set_header Connection \"\";\n");
        c.append("            proxy_set_header Host $host;\n");
        c.append("            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
        c.append("            proxy_set_header X-Forwarded-Proto $scheme;\n");
        c.append("            proxy_set_header X-Forwarded-Host $host;\n");
        c.append("            proxy_connect_timeout ")
                .append(config.balancer().connectTimeoutMillis())
                .append("ms;\n");
        c.append("            proxy_read_timeout ")
                .append(config.balancer().responseTimeoutMillis())
                .append("ms;\n");
        c.append(
                "            # on a connection error try the next node; nginx never resends a non-idempotent request\n");
        c.append("            proxy_next_upstream error timeout;\n");
        c.append("            proxy_next_upstream_tries 2;\n");
        c.append("        }\n");
        c.append("    }\n");
        c.append("}\n");
        return c.toString();
    }
}
