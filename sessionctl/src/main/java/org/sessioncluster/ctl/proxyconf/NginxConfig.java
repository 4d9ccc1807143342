package org.sessioncluster.ctl.proxyconf;

import org.sessioncluster.config.BalancerConfig;
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
        BalancerConfig b = config.balancer();
        StringBuilder upstream = new StringBuilder();
        switch (b.policy()) {
            case BalancerPolicyName.STICKY -> upstream.append("        hash $cookie_JSESSIONID consistent;\n");
            case BalancerPolicyName.LEAST_CONNECTIONS -> upstream.append("        least_conn;\n");
            default -> upstream.append("        # round-robin (nginx's default)\n");
        }
        int failTimeoutSeconds = Math.max(1, b.healthIntervalMillis() * b.healthFall() / 1000);
        for (NodeAddress n : config.nodes()) {
            int weight = config.weightOf(n.name());
            upstream.append("        server %s:%d %s max_fails=1 fail_timeout=%ds;  # %s\n"
                    .formatted(
                            n.host(),
                            n.httpPort(),
                            weight == 0 ? "down" : "weight=" + weight,
                            failTimeoutSeconds,
                            n.name()));
        }
        return """
                # nginx in front of the session-cluster nodes. Rendered from cluster.properties by
                # `sessionctl proxy-config nginx`; render it again after changing that file.
                # Run: nginx -p <folder> -c <this file>
                worker_processes 1;
                error_log stderr warn;
                pid nginx.pid;

                events {
                    worker_connections 1024;
                }

                http {
                    access_log off;

                    upstream session_cluster {
                %s        keepalive 32;
                    }

                    server {
                        listen %s:%d;
                        location / {
                            proxy_pass http://session_cluster;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header X-Forwarded-Host $host;
                            proxy_connect_timeout %dms;
                            proxy_read_timeout %dms;
                            # on a connection error try the next node; nginx never resends a non-idempotent request
                            proxy_next_upstream error timeout;
                            proxy_next_upstream_tries 2;
                        }
                    }
                }
                """.formatted(upstream, b.host(), b.port(), b.connectTimeoutMillis(), b.responseTimeoutMillis());
    }
}
