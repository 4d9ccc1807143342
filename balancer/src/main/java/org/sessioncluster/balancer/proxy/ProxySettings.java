package org.sessioncluster.balancer.proxy;

import io.netty.handler.ssl.SslContext;

/**
 * What the proxy takes from the config.
 *
 * @param host                  address the proxy listens on
 * @param port                  its port (0: any free one)
 * @param maxHeaderBytes        the largest request line and headers a client may send (larger: 400)
 * @param maxBodyBytes          the largest request body forwarded (larger: 413)
 * @param clientTimeoutMillis   how long a client may be silent while it sends a request, or between requests
 * @param connectTimeoutMillis  how long connecting to a node may take
 * @param responseTimeoutMillis how long a node may be silent while it owes an answer (then 504)
 * @param tls                   null: plain HTTP; else TLS ends here
 */
public record ProxySettings(
        String host,
        int port,
        int maxHeaderBytes,
        long maxBodyBytes,
        int clientTimeoutMillis,
        int connectTimeoutMillis,
        int responseTimeoutMillis,
        SslContext tls) {}
